import { APIError } from 'openai';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Observable, type SchedulerLike } from 'rxjs';
import { Utf8Chunks } from './utf8-chunks';

/** How a finished response's body is read to its end so its connection goes back to the pool. */
export interface BodyDrain<E> {
  /** Whether an event ends its response: once one came, unsubscribing reads the rest of the body instead of aborting. */
  readonly isTerminal: (event: E) => boolean;
  /** Where the time limit runs. */
  readonly scheduler: SchedulerLike;
  /** The most milliseconds spent reading the rest; then the request is aborted (and its connection closed). */
  readonly maxMs: number;
  /** The most bytes read after the terminal event; past them the request is aborted. */
  readonly maxBytes: number;
}

/** A finished body's remainder is read for at most this long, and this much, before its connection is given up. */
export const DRAIN_LIMITS = { maxMs: 250, maxBytes: 64 * 1024 } as const;

/**
 * Reads a streaming response's body as its events: `send` makes the request (through the `openai` client, with its auth
 * and typed HTTP errors, via `.asResponse()`), the body is decoded (`Utf8Chunks`) and read with `eventsource-parser` and
 * `JSON.parse`, and each event goes downstream as soon as its chunk is parsed. Unsubscribing aborts the request, the
 * server sees the socket close, except after a terminal event (with `drain`): then the rest of the body is read,
 * bounded, so the keep-alive connection is reused by the next request instead of paying new TCP and TLS handshakes.
 * Shared by the OpenAI services.
 */
export function readSse<E>(send: (signal: AbortSignal) => Promise<Response>, drain?: BodyDrain<E>): Observable<E> {
  return new Observable<E>((subscriber) => {
    // Aborting it is how an unsubscribe (interruption, newer context) reaches the socket.
    const controller = new AbortController();
    // Whether a `[DONE]` line came: as the SDK's reader does, nothing after it is read (Chat Completions sends one).
    let sawDone = false;
    // The last event that went downstream: when it ended the response, leaving reads the body to its end (checked only
    // then, not per event: the hot path stays one assignment).
    let last: E | undefined;
    // Whether the body was read to its end: nothing is left to abort or drain.
    let bodyDone = false;
    // The body's reader, once the headers came.
    let body: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const parser = createParser({
      onEvent: (message) => {
        if (sawDone) return;
        if (message.data.startsWith('[DONE]')) {
          sawDone = true;
          return;
        }
        const event = parseEvent(message) as E;
        last = event;
        subscriber.next(event);
      },
    });
    const text = new Utf8Chunks();
    const fail = (error: unknown) => subscriber.error(error);
    send(controller.signal)
      .then((response) => {
        if (!response.body) throw new TypeError('the response has no body');
        const reader = (body = response.body.getReader());
        // Callbacks, not an async loop: a loop suspended on the next read keeps the last chunk alive, and with it
        // the buffer under it (~2 KiB per open stream).
        const onChunk = ({ done, value }: { readonly done: boolean; readonly value?: Uint8Array | undefined }): void => {
          if (subscriber.closed) return;
          if (done) {
            bodyDone = true;
            parser.feed(text.end());
            // The HTTP client hands its connection back to the pool just after the body's end is read (a microtask is
            // too soon): completing a task later lets a request made at once (a function-call follow-up) find it idle
            // rather than open another. Node's setImmediate is that task at once; elsewhere, the scheduler's.
            if (!drain) subscriber.complete();
            else if (typeof setImmediate === 'function') setImmediate(() => subscriber.complete());
            else drain.scheduler.schedule(() => subscriber.complete());
            return;
          }
          if (value) parser.feed(text.decode(value));
          if (!subscriber.closed) reader.read().then(onChunk).catch(fail);
        };
        return reader.read().then(onChunk);
      })
      .catch(fail);
    return () => {
      if (bodyDone) return;
      if (body && drain && last !== undefined && drain.isTerminal(last)) drainRest(body, drain, () => controller.abort());
      else controller.abort();
    };
  });
}

/** Reads what is left of a finished body, without parsing it; aborts past the limits. */
function drainRest(body: ReadableStreamDefaultReader<Uint8Array>, limits: Pick<BodyDrain<unknown>, 'scheduler' | 'maxMs' | 'maxBytes'>, abort: () => void): void {
  let bytes = 0;
  const deadline = limits.scheduler.schedule(abort, limits.maxMs);
  const onChunk = ({ done, value }: { readonly done: boolean; readonly value?: Uint8Array | undefined }): void => {
    if (done) return deadline.unsubscribe();
    bytes += value?.byteLength ?? 0;
    if (bytes > limits.maxBytes) {
      deadline.unsubscribe();
      return abort();
    }
    body.read().then(onChunk, () => deadline.unsubscribe());
  };
  body.read().then(onChunk, () => deadline.unsubscribe());
}

/** One SSE message as an event; `JSON.parse` errors surface as malformed data. */
function parseEvent(message: EventSourceMessage): unknown {
  const data = JSON.parse(message.data) as { type?: unknown; error?: unknown } | null;
  // As the SDK's own reader does: a payload with an `error` and no event type is an API error.
  if (data && data.error && !data.type) throw new APIError(undefined, data.error as object, undefined, undefined);
  return data;
}
