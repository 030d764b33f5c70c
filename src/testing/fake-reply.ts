import type { IncomingHttpHeaders } from 'node:http';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';

/** What the fake server answers to one request. */
export type FakeReply =
  | {
      /** Stream these events as SSE (or, for a non-streaming request, answer with the terminal event's response). */
      readonly kind: 'stream';
      readonly events: readonly ResponseStreamEvent[];
      /** Milliseconds before the headers go out (a slow start). */
      readonly headersDelayMs?: number;
      /** Milliseconds before each event. */
      readonly eventDelayMs?: number;
      /** After this many events, hold the connection open and send nothing more. */
      readonly stallAfter?: number;
      /** After this many events, destroy the connection. */
      readonly dropAfter?: number;
      /** Milliseconds between the last event and the body's end (the live API's last bytes can trail its terminal event). */
      readonly endDelayMs?: number;
      /** Extra response headers. */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      /** An HTTP error with the API's error body. */
      readonly kind: 'http-error';
      readonly status: number;
      readonly message?: string;
      readonly code?: string | null;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      /** A raw SSE body, sent chunk by chunk: for malformed data. */
      readonly kind: 'raw';
      readonly chunks: readonly string[];
      readonly status?: number;
    }
  | {
      /**
       * A recorded SSE body served byte for byte (e.g. a `.sse` file saved by `recordingOpenStream`); over WebSocket,
       * its events one message each.
       */
      readonly kind: 'sse';
      readonly body: string | Uint8Array;
      /** Write it in pieces of this many bytes (cuts lines and multi-byte characters, as a network may). */
      readonly chunkBytes?: number;
    }
  | { /** Any JSON body. */ readonly kind: 'json'; readonly body: unknown; readonly status?: number }
  | { /** Never answer (no headers, no body). */ readonly kind: 'stall' }
  | { /** Close the connection before any headers. */ readonly kind: 'drop' };

/** A request the server received (`method: 'WS'` for a `response.create` over WebSocket). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when it was not JSON). */
  readonly body: Record<string, unknown> | undefined;
}

/** Chooses the reply for a request; the default takes the next queued reply, then falls back to a short text answer. */
export type FakeReplyHandler = (request: RecordedRequest, index: number) => FakeReply;
