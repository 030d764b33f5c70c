import type { IncomingHttpHeaders, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeReply, RecordedRequest } from './fake-reply';
import { playEvents } from './play-events';
import { sseEventsOf } from './sse-body';

/** What the WebSocket side needs from the fake server. */
export interface FakeWebSocketHooks {
  /** Records a `response.create` the server received. */
  readonly record: (request: RecordedRequest) => void;
  /** The reply to play for a recorded request (uses up a queued reply). */
  readonly takeReply: (request: RecordedRequest) => FakeReply;
  /** Counts a reply cut off by the client closing the socket. */
  readonly onAborted: () => void;
  /** Schedules a delay that `close()` can clear. */
  readonly sleep: (ms: number | undefined) => Promise<void>;
}

/**
 * Serves the Responses WebSocket mode on `/v1/responses`: each `response.create` message is answered, in order, by the
 * next scripted reply, sent as one JSON event per message. A connection keeps the ids of the responses it completed, so
 * `previous_response_id` works as on the real API (an unknown id gets a `previous_response_not_found` error event).
 */
export class FakeWebSocketSide {
  /** Open WebSocket connections. */
  readonly sockets = new Set<WebSocket>();
  /** How many WebSocket connections were opened in all. */
  connectionsOpened = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Each connection's completed response ids, so `forgetResponses` can clear them all. */
  private readonly completedSets = new Set<Set<string>>();

  constructor(server: Server, private readonly hooks: FakeWebSocketHooks) {
    server.on('upgrade', (request, socket, head) => {
      if (!request.url?.startsWith('/v1/responses')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, request.headers, request.url ?? '/v1/responses'));
    });
  }

  /** Forgets every completed response, as a server that lost its connection-local cache would. */
  forgetResponses(): void {
    for (const completed of this.completedSets) completed.clear();
  }

  /** Closes every connection (as a dropped network would). */
  dropAll(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  close(): void {
    this.dropAll();
    this.wss.close();
  }

  private serve(ws: WebSocket, headers: IncomingHttpHeaders, path: string): void {
    this.connectionsOpened++;
    this.sockets.add(ws);
    // Responses this connection completed: what `previous_response_id` may name.
    const completed = new Set<string>();
    this.completedSets.add(completed);
    // The replies run one after another, as the real API runs one response at a time per connection.
    let queue = Promise.resolve();
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.completedSets.delete(completed);
    });
    ws.on('message', (data) => {
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      queue = queue.then(() => this.answer(ws, { method: 'WS', path, headers, body }, completed)).catch(() => undefined);
    });
  }

  private async answer(ws: WebSocket, request: RecordedRequest, completed: Set<string>): Promise<void> {
    // A create still queued when its connection closed is never processed, as on the real API.
    if (ws.readyState !== ws.OPEN) return;
    this.hooks.record(request);
    const previous = request.body?.previous_response_id;
    if (typeof previous === 'string' && !completed.has(previous)) {
      const message = `Previous response with id '${previous}' not found.`;
      send(ws, { type: 'error', error: { type: 'invalid_request_error', code: 'previous_response_not_found', message, param: 'previous_response_id' }, sequence_number: 0 });
      return;
    }
    const reply = this.hooks.takeReply(request);
    switch (reply.kind) {
      case 'http-error':
        // As the live API sends an error event: its payload nested under `error`.
        send(ws, { type: 'error', error: { type: 'invalid_request_error', code: reply.code ?? null, message: reply.message ?? `HTTP ${reply.status}`, param: null }, sequence_number: 0 });
        return;
      case 'sse':
        for (const event of sseEventsOf(typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body).toString('utf8'))) send(ws, event);
        return;
      case 'drop':
        ws.terminate();
        return;
      case 'raw':
        for (const chunk of reply.chunks) ws.send(chunk);
        return;
      case 'json':
        send(ws, reply.body);
        return;
      case 'stall':
        return this.waitForClose(ws);
      case 'stream':
        return this.stream(ws, reply, completed);
    }
  }

  private async stream(ws: WebSocket, reply: Extract<FakeReply, { kind: 'stream' }>, completed: Set<string>): Promise<void> {
    await this.hooks.sleep(reply.headersDelayMs);
    if (ws.readyState !== ws.OPEN) return this.hooks.onAborted();
    return playEvents(reply, {
      isOpen: () => ws.readyState === ws.OPEN,
      write: (event) => {
        send(ws, event);
        if (event.type === 'response.completed' || event.type === 'response.incomplete') completed.add(event.response.id);
      },
      drop: () => ws.terminate(),
      stall: () => this.waitForClose(ws),
      end: () => undefined,
      gone: () => this.hooks.onAborted(),
      sleep: (ms) => this.hooks.sleep(ms),
    });
  }

  /** A stalled reply ends only when the client closes the socket, which counts as an abort. */
  private waitForClose(ws: WebSocket): Promise<void> {
    return new Promise((resolve) => {
      if (ws.readyState !== ws.OPEN) {
        this.hooks.onAborted();
        resolve();
        return;
      }
      ws.once('close', () => {
        this.hooks.onAborted();
        resolve();
      });
    });
  }
}

function send(ws: WebSocket, event: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
}
