import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { responsesSocketURL, type OpenResponsesSocket } from './responses-socket';

/** The standard WebSocket API, as much of it as the transport uses (the browser's `WebSocket`, Node 22's, `ws`'s). */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Sends a text message. */
  send(data: string): void;
  /** Closes the connection. */
  close(code?: number, reason?: string): void;
  /** Listens for `open`, `message`, `error` and `close`. */
  addEventListener(type: string, listener: EventListenerLike): void;
}

/** A listener of any event type (a method's type, so every platform's own event types fit it). */
type EventListenerLike = { listen(event: unknown): void }['listen'];

/** A class with the standard WebSocket constructor, such as the browser's `WebSocket`. */
export type WebSocketClass = new (url: string) => WebSocketLike;

const OPEN = 1;

/**
 * A socket on a class with the standard WebSocket API. It cannot send headers, so it carries no key: in a browser the
 * socket goes to a same-origin proxy that adds it, as the HTTP requests do.
 */
export function platformResponsesSocket(Socket: WebSocketClass): OpenResponsesSocket {
  return (client, listener) => {
    const socket = new Socket(responsesSocketURL(client));
    // Messages sent before the socket opened, in order.
    const queued: string[] = [];
    let open = true;
    // Settled when the socket opens, or closes first (a warm-up waits for either, quietly).
    let settle: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (settle = resolve));
    socket.addEventListener('open', () => {
      settle();
      for (const data of queued.splice(0)) socket.send(data);
    });
    socket.addEventListener('message', (message: { readonly data: unknown }) => {
      if (!open || typeof message.data !== 'string') return;
      let event: ResponseStreamEvent;
      try {
        event = JSON.parse(message.data) as ResponseStreamEvent;
      } catch {
        return;
      }
      listener.event(event);
    });
    // A browser's `error` event says nothing more than that the connection failed (the `close` after it has the code);
    // some classes (`ws`'s) say why, which is kept for the message. Listening also keeps event-emitter classes from
    // throwing an unhandled 'error'.
    let failure: string | undefined;
    socket.addEventListener('error', (error: { readonly message?: unknown }) => {
      if (typeof error?.message === 'string' && error.message) failure = error.message;
    });
    socket.addEventListener('close', (closed: { readonly code: number }) => {
      settle();
      if (open) listener.dropped(`connection dropped (WebSocket closed, code ${closed.code}${failure ? `: ${failure}` : ''})`);
    });
    return {
      opened,
      send: (event) => {
        const data = JSON.stringify(event);
        if (socket.readyState === OPEN) socket.send(data);
        else queued.push(data);
      },
      close: () => {
        open = false;
        queued.length = 0;
        socket.close();
      },
    };
  };
}

/** The platform's own `WebSocket` class, outside Node (where the SDK's client sends the key as a header). */
export function platformWebSocketClass(): WebSocketClass | undefined {
  const global = globalThis as { WebSocket?: WebSocketClass; process?: { versions?: { node?: string } } };
  if (global.process?.versions?.node) return undefined;
  return global.WebSocket;
}
