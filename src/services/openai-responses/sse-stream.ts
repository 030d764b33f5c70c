import { APIError } from 'openai';
import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable } from 'rxjs';
import type { OpenStream } from './http-stream';

/**
 * The fast default `openStream`: the `openai` client builds, sends and retries the request (auth, `maxRetries`,
 * typed HTTP errors, via `.asResponse()`), and the body is read with `eventsource-parser` and `JSON.parse`, pushing each
 * event downstream as soon as its chunk is parsed. Unsubscribing aborts the HTTP request.
 */
export function parserOpenStream(getClient: () => OpenAI): OpenStream {
  return (request) =>
    new Observable<ResponseStreamEvent>((subscriber) => {
      // Aborting it is how an unsubscribe (interruption, newer context) reaches the socket.
      const controller = new AbortController();
      // Whether a `[DONE]` line came: as the SDK's reader does, nothing after it is read (some proxies send one).
      let sawDone = false;
      const parser = createParser({
        onEvent: (message) => {
          if (sawDone) return;
          if (message.data.startsWith('[DONE]')) {
            sawDone = true;
            return;
          }
          subscriber.next(parseEvent(message));
        },
      });
      const decoder = new TextDecoder();
      const fail = (error: unknown) => subscriber.error(error);
      getClient()
        .responses.create(request, { signal: controller.signal })
        .asResponse()
        .then((response) => {
          if (!response.body) throw new TypeError('the response has no body');
          const reader = response.body.getReader();
          // Callbacks, not an async loop: a loop suspended on the next read keeps the last chunk alive, and with it
          // the buffer under it (~2 KiB per open stream).
          const onChunk = ({ done, value }: { readonly done: boolean; readonly value?: Uint8Array }): void => {
            if (done) {
              parser.feed(decoder.decode());
              subscriber.complete();
              return;
            }
            parser.feed(decoder.decode(value, { stream: true }));
            if (!subscriber.closed) reader.read().then(onChunk).catch(fail);
          };
          return reader.read().then(onChunk);
        })
        .catch(fail);
      return () => controller.abort();
    });
}

/** One SSE message as a stream event; `JSON.parse` errors surface as malformed data. */
function parseEvent(message: EventSourceMessage): ResponseStreamEvent {
  const data = JSON.parse(message.data) as { type?: unknown; error?: unknown } | null;
  // As the SDK's own reader does: a payload with an `error` and no event type is an API error.
  if (data && data.error && !data.type) throw new APIError(undefined, data.error as object, undefined, undefined);
  return data as ResponseStreamEvent;
}
