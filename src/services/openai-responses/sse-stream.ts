import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { readSse } from '../openai/sse-reader';
import type { OpenStream } from './http-stream';

/**
 * The fast default `openStream`: the `openai` client builds, sends and retries the request (auth, typed HTTP errors, via
 * `.asResponse()`), and the body is read with `eventsource-parser` and `JSON.parse`, pushing each event downstream as
 * soon as its chunk is parsed. Unsubscribing aborts the HTTP request.
 */
export function parserOpenStream(getClient: () => OpenAI): OpenStream {
  return (request) => readSse<ResponseStreamEvent>((signal) => getClient().responses.create(request, { signal }).asResponse());
}
