import { APIError } from 'openai';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable } from 'rxjs';

/**
 * Reads a streaming response's body as its events: `send` makes the request (through the `openai` client, with its auth
 * and typed HTTP errors, via `.asResponse()`), the body is read with `eventsource-parser` and `JSON.parse`, and each event
 * goes downstream as soon as its chunk is parsed. Unsubscribing aborts the request. Shared by the OpenAI services.
 */
export function readSse<E>(send: (signal: AbortSignal) => Promise<Response>): Observable<E> {
  return new Observable<E>((subscriber) => {
    // Aborting it is how an unsubscribe (interruption, newer context) reaches the socket.
    const controller = new AbortController();
    // Whether a `[DONE]` line came: as the SDK's reader does, nothing after it is read (Chat Completions sends one).
    let sawDone = false;
    const parser = createParser({
      onEvent: (message) => {
        if (sawDone) return;
        if (message.data.startsWith('[DONE]')) {
          sawDone = true;
          return;
        }
        subscriber.next(parseEvent(message) as E);
      },
    });
    const decoder = new TextDecoder();
    const fail = (error: unknown) => subscriber.error(error);
    send(controller.signal)
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

/** One SSE message as an event; `JSON.parse` errors surface as malformed data. */
function parseEvent(message: EventSourceMessage): unknown {
  const data = JSON.parse(message.data) as { type?: unknown; error?: unknown } | null;
  // As the SDK's own reader does: a payload with an `error` and no event type is an API error.
  if (data && data.error && !data.type) throw new APIError(undefined, data.error as object, undefined, undefined);
  return data;
}
