import { platformResponsesSocket, platformWebSocketClass, type WebSocketClass } from './platform-socket';
import type { OpenResponsesSocket } from './responses-socket';
import { sdkResponsesSocket } from './sdk-socket';

/** The socket of the WebSocket transport: the class given, else the platform's outside Node, else the SDK's in Node. */
export function chooseResponsesSocket(given: WebSocketClass | undefined): OpenResponsesSocket {
  const Socket = given ?? platformWebSocketClass();
  return Socket ? platformResponsesSocket(Socket) : sdkResponsesSocket;
}
