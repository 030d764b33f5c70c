import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';

/** What a connection hears from its socket. */
export interface ResponsesSocketListener {
  /** A server event (server `error` events included). */
  readonly event: (event: ResponseStreamEvent) => void;
  /** The connection failed or closed without being asked to; `reason` says how, without secrets. */
  readonly dropped: (reason: string) => void;
}

/** One WebSocket to `/responses`, whatever carries it: send events, close. */
export interface ResponsesSocket {
  /** Sends one client event (a `response.create`), queued until the socket is open. */
  send(event: object): void;
  /** Closes the socket; the listener hears nothing more from it. */
  close(): void;
  /** Resolves once the socket is open, or once it failed or closed first (a warm-up waits for it, quietly). */
  readonly opened: Promise<void>;
}

/** Opens a socket to the client's `/responses` endpoint. */
export type OpenResponsesSocket = (client: OpenAI, listener: ResponsesSocketListener) => ResponsesSocket;

/** The WebSocket address of the client's `/responses` endpoint (`http` becomes `ws`, `https` becomes `wss`). */
export function responsesSocketURL(client: OpenAI): string {
  const url = new URL(client.buildURL('/responses', {}));
  url.protocol = url.protocol === 'http:' || url.protocol === 'ws:' ? 'ws:' : 'wss:';
  return url.toString();
}
