import { ResponsesWS } from 'openai/resources/responses/ws';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { OpenResponsesSocket } from './responses-socket';

/**
 * The socket in Node: the SDK's `ResponsesWS` over the `ws` package, which sends the client's key as an `Authorization`
 * header (a platform `WebSocket` cannot send headers).
 */
export const sdkResponsesSocket: OpenResponsesSocket = (client, listener) => {
  const socket = new ResponsesWS(client);
  let open = true;
  socket.on('event', (event) => {
    if (open) listener.event(event as ResponseStreamEvent);
  });
  // Server `error` events arrive through 'event' too (they carry `error`); this one sees connection-level failures.
  socket.on('error', (error) => {
    if (open && !error.error) listener.dropped(`connection dropped or stream broken (${error.message})`);
  });
  socket.on('close', () => {
    if (open) listener.dropped('connection dropped (WebSocket closed)');
  });
  // The underlying `ws` socket: open now (readyState 1), or once it opens (or fails: a warm-up waits for either, quietly).
  const raw = socket.socket;
  const opened = new Promise<void>((resolve) => {
    if (raw.readyState === 1) return resolve();
    raw.once('open', () => resolve());
    raw.once('close', () => resolve());
  });
  return {
    opened,
    send: (event) => socket.send(event as Parameters<ResponsesWS['send']>[0]),
    close: () => {
      open = false;
      socket.close();
    },
  };
};
