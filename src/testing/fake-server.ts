import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { textResponse } from './event-builders';
import type { FakeReply, FakeReplyHandler, RecordedRequest } from './fake-reply';
import { FakeWebSocketSide } from './fake-ws';
import { chatChunksFrom, chatCompletionFrom } from './chat-chunks';
import { CHAT_DONE, chatBody, chatMessage, sseBody, sseMessage } from './sse-body';
import { readBody, writeRecorded } from './http-io';
import { playEvents } from './play-events';

/** The endpoints the fake server answers, where the live API has them (under `/v1`), with or without a query. */
const ENDPOINTS = /^\/v1\/(responses|chat\/completions)(\?.*)?$/;

/** Options of `FakeResponsesServer.start`. */
export interface FakeServerOptions {
  /** Replies to give in order. */
  readonly replies?: readonly FakeReply[] | undefined;
  /** The reply once the queue is empty (default: the text "OK"). */
  readonly fallback?: FakeReplyHandler | undefined;
  /** How long an idle keep-alive connection stays open (Node's default, 5 s, when not given). */
  readonly keepAliveTimeoutMs?: number | undefined;
}

/**
 * A fake OpenAI Responses server on 127.0.0.1 (random port): streams scripted events in the API's SSE format,
 * records every request and counts connections the client aborted.
 * @example
 * const server = await FakeResponsesServer.start({ replies: [{ kind: 'stream', events: textResponse('Hi') }] });
 * const llm = new OpenAIResponsesLLMService({ apiKey: 'test', baseURL: server.baseURL });
 */
export class FakeResponsesServer {
  /** Every request so far, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Replies not yet used. */
  private readonly queue: FakeReply[];
  /** Requests whose connection closed before the reply was complete: the client aborted (or we dropped it on purpose). */
  private aborted = 0;
  /** Replies still being written (streams in progress, stalls). */
  private active = 0;
  /** Connections accepted so far (each a TCP handshake a client paid). */
  private opened = 0;
  /** Open sockets, to close them all on `close()`. */
  private readonly sockets = new Set<Socket>();
  /** Timers of delayed writes and idle limits, cleared on close so none keeps the process alive. */
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Connections that carried a request (Node's own keep-alive timer governs those). */
  private readonly used = new WeakSet<Socket>();
  private handler: FakeReplyHandler;
  /** The Responses WebSocket mode on the same port, answering from the same replies. */
  private readonly websocket: FakeWebSocketSide;

  private constructor(
    private readonly server: Server,
    options: FakeServerOptions,
  ) {
    this.queue = [...(options.replies ?? [])];
    const fallback = options.fallback ?? (() => ({ kind: 'stream', events: textResponse('OK') }) as FakeReply);
    this.handler = (request, index) => this.queue.shift() ?? fallback(request, index);
    server.on('connection', (socket) => {
      this.opened++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // Node's keep-alive timer starts only after a response: a connection a client opened and never used (its request
      // aborted before it was sent) would stay open for good. It is closed after the idle limit, but no sooner than a
      // second: under load a request can take a while to be read, and a connection that sent anything is in use.
      if (options.keepAliveTimeoutMs !== undefined) {
        const idle = setTimeout(() => {
          this.timers.delete(idle);
          if (!this.used.has(socket) && socket.bytesRead === 0) socket.destroy();
        }, Math.max(options.keepAliveTimeoutMs, 1000));
        this.timers.add(idle);
        socket.on('close', () => {
          clearTimeout(idle);
          this.timers.delete(idle);
        });
      }
    });
    server.on('request', (req, res) => void this.handle(req, res));
    this.websocket = new FakeWebSocketSide(server, {
      record: (request) => this.requests.push(request),
      takeReply: (request) => this.handler(request, this.requests.indexOf(request)),
      onAborted: () => this.aborted++,
      sleep: (ms) => this.sleep(ms),
    });
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  static async start(options: FakeServerOptions = {}): Promise<FakeResponsesServer> {
    const server = createServer();
    if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeResponsesServer(server, options);
  }

  /** `http://127.0.0.1:PORT/v1`: pass it as `baseURL`. */
  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** How many replies were cut off by the client closing the connection. */
  get abortedConnections(): number {
    return this.aborted;
  }

  /** How many connections clients opened so far (HTTP and WebSocket): a client that keeps its connection opens one. */
  get connectionsOpened(): number {
    return this.opened;
  }

  /** Replies in progress now (0 when every stream finished or was aborted). */
  get activeReplies(): number {
    return this.active;
  }

  /** Open TCP connections now (idle keep-alive ones and WebSocket connections included). */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Open WebSocket connections now. */
  get openWebSockets(): number {
    return this.websocket.sockets.size;
  }

  /** WebSocket connections opened so far (a reconnect adds one). */
  get webSocketConnections(): number {
    return this.websocket.connectionsOpened;
  }

  /** Makes the WebSocket side forget the responses it completed (a later `previous_response_id` is then unknown). */
  forgetResponses(): void {
    this.websocket.forgetResponses();
  }

  /** Drops every WebSocket connection, as a network failure would. */
  dropWebSockets(): void {
    this.websocket.dropAll();
  }

  /** Queues replies for the next requests. */
  enqueue(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  /** Replaces the reply logic (e.g. to answer by request body). */
  setHandler(handler: FakeReplyHandler): void {
    this.handler = handler;
  }

  /** Resolves once `check()` is true, polling; rejects after `timeoutMs`. */
  async waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('FakeResponsesServer.waitFor: timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.websocket.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.used.add(req.socket);
    const raw = await readBody(req);
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const request: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
    this.requests.push(request);
    // As the live API does, every answer names its request (`x-request-id`), so errors can carry the id.
    res.setHeader('x-request-id', `req_fake_${this.requests.length - 1}`);
    // Only a POST to an endpoint the API has asks for an answer; anything else (a client's warm-up GET, a baseURL
    // without /v1) gets the API's 404, as the live API words it, and takes no reply.
    if (request.method !== 'POST' || !ENDPOINTS.test(request.path)) {
      const body = JSON.stringify({ error: { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null } });
      // With its length, as the live API answers: a HEAD's connection then stays open for the next request.
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    const reply = this.handler(request, this.requests.length - 1);
    this.active++;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      this.active--;
    };
    res.on('close', () => {
      if (!res.writableFinished) this.aborted++;
      done();
    });
    res.on('finish', done);
    await this.reply(reply, request, res);
  }

  private async reply(reply: FakeReply, request: RecordedRequest, res: ServerResponse): Promise<void> {
    switch (reply.kind) {
      case 'stall':
        return;
      case 'drop':
        res.socket?.destroy();
        return;
      case 'json':
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        return;
      case 'http-error': {
        const error = { message: reply.message ?? `HTTP ${reply.status}`, type: 'invalid_request_error', param: null, code: reply.code ?? null };
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify({ error }));
        return;
      }
      case 'sse':
        return writeRecorded(reply, request, res);
      case 'raw':
        res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream' });
        for (const chunk of reply.chunks) if (!res.destroyed) res.write(chunk);
        res.end();
        return;
      case 'stream':
        return this.stream(reply, request, res);
    }
  }

  /**
   * A scripted stream, as the API the request went to speaks it: Responses events (`event:` and `data:` lines), or for
   * `/chat/completions` the same answer as chat chunks (`data:` lines, then `[DONE]`). A non-streaming request gets the
   * answer as one JSON body.
   */
  private async stream(reply: Extract<FakeReply, { kind: 'stream' }>, request: RecordedRequest, res: ServerResponse): Promise<void> {
    await this.sleep(reply.headersDelayMs);
    if (res.destroyed) return;
    const chat = request.path.endsWith('/chat/completions');
    if (request.body?.stream !== true) {
      const terminal = [...reply.events].reverse().find((event) => 'response' in event && event.type !== 'response.created');
      const answer = chat ? chatCompletionFrom(reply.events) : terminal && 'response' in terminal ? terminal.response : {};
      res.writeHead(200, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(answer));
      return;
    }
    // No explicit Connection header: Node sends keep-alive itself, and setting it by hand disables keepAliveTimeoutMs.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    res.flushHeaders();
    if (!reply.eventDelayMs && reply.stallAfter === undefined && reply.dropAfter === undefined) {
      // Nothing to pace: one pre-serialised write, so the server's own work stays out of what clients measure.
      const body = chat ? chatBody(reply.events) : sseBody(reply.events);
      if (!reply.endDelayMs) return void res.end(body);
      res.write(body);
      await this.sleep(reply.endDelayMs);
      if (!res.destroyed) res.end();
      return;
    }
    // Serialised up front, as the API it went to speaks it: the pacing is the same for both.
    const messages = chat ? chatChunksFrom(reply.events).map(chatMessage) : reply.events.map(sseMessage);
    return playEvents({ ...reply, events: messages }, {
      isOpen: () => !res.destroyed,
      write: (message) => res.write(message),
      drop: async () => {
        // Let what was written reach the client first: a drop mid-stream comes after real data.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        res.socket?.destroy();
      },
      // A stalled reply ends when the client goes; the response's 'close' counts the abort.
      stall: () => undefined,
      end: () => {
        if (!reply.endDelayMs) return void res.end(chat ? CHAT_DONE : undefined);
        void this.sleep(reply.endDelayMs).then(() => !res.destroyed && res.end(chat ? CHAT_DONE : undefined));
      },
      gone: () => undefined,
      sleep: (ms) => this.sleep(ms),
    });
  }

  /** A recorded body as it is (a non-streaming request gets its terminal response as JSON). */
  private sleep(ms: number | undefined): Promise<void> {
    if (!ms) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
