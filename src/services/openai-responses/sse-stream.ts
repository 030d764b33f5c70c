import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import { readSse } from '../openai/sse-reader';
import type { ResponsesStreamRequest } from './request';

/** The one seam between the operator and the network: a request in, its stream events out; unsubscribing aborts. */
export type OpenStream = (request: ResponsesStreamRequest) => Observable<ResponseStreamEvent>;

/**
 * The default `openStream`: the `openai` client builds, sends and retries the request (auth, typed HTTP errors, via
 * `.asResponse()`), and the body is read with `eventsource-parser` and `JSON.parse`, pushing each event downstream as
 * soon as its chunk is parsed. Unsubscribing aborts the HTTP request.
 */
export function parserOpenStream(getClient: () => OpenAI): OpenStream {
  return (request) => readSse<ResponseStreamEvent>((signal) => getClient().responses.create(request, { signal }).asResponse());
}
