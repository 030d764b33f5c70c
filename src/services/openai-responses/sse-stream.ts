import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable, SchedulerLike } from 'rxjs';
import { DRAIN_LIMITS, readSse } from '../openai/sse-reader';
import { isTerminalEvent } from './events';
import type { ResponsesStreamRequest } from './request';

/** The one seam between the operator and the network: a request in, its stream events out; unsubscribing aborts. */
export type OpenStream = (request: ResponsesStreamRequest) => Observable<ResponseStreamEvent>;

/**
 * The default `openStream`: the `openai` client builds, sends and retries the request (auth, typed HTTP errors, via
 * `.asResponse()`), and the body is read with `eventsource-parser` and `JSON.parse`, pushing each event downstream as
 * soon as its chunk is parsed. Unsubscribing aborts the HTTP request, unless the response's terminal event came: then
 * the rest of the body is read (bounded, on `scheduler`) so the connection is kept for the next request.
 */
export function parserOpenStream(getClient: () => OpenAI, scheduler: SchedulerLike): OpenStream {
  const drain = { ...DRAIN_LIMITS, scheduler, isTerminal: isTerminalEvent };
  return (request) => readSse<ResponseStreamEvent>((signal) => getClient().responses.create(request, { signal }).asResponse(), drain);
}
