import type OpenAI from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ResponsesWS } from 'openai/resources/responses/ws';
import { Observable, Subscription, type SchedulerLike, type Subscriber, type TeardownLogic } from 'rxjs';
import { LLMStreamError } from '../../../errors';
import type { OpenStream } from '../http-stream';
import type { ResponsesStreamRequest } from '../request';
import { isChainLost, ResponseChain } from '../response-chain';

/** Events after which the server starts on the next `response.create` of the connection. */
const TERMINAL_EVENTS = new Set<string>(['response.completed', 'response.failed', 'response.incomplete', 'error']);

/** One `response.create` the server has not finished answering. */
interface PendingResponse {
  /** Who gets its events; they are drained and dropped once it is cancelled. */
  readonly subscriber: Subscriber<ResponseStreamEvent>;
  /** The request body as the service built it (full input). */
  readonly body: Omit<ResponsesStreamRequest, 'stream'>;
  /** The `previous_response_id` it was sent with, if any. */
  previousResponseId: string | undefined;
  /** Whether it was re-sent with the full input after the server forgot the previous response (once at most). */
  resent: boolean;
  /** Whether its subscriber left (interruption, newer context): its remaining events are ignored. */
  cancelled: boolean;
}

/**
 * The Responses API over one WebSocket (the SDK's `ResponsesWS`) for a service, reused across turns. Responses are
 * answered in order, so each event belongs to the oldest unfinished request. A cancelled response's remaining events are
 * ignored. A request sends only its new input items with `previous_response_id` when the context's prefix is what the
 * server already holds, and falls back to the full input otherwise, or when the server says it does not know the previous
 * response. A dropped connection fails what is in flight; the next request opens a new one. A request kept waiting
 * behind cancelled responses for longer than `drainTimeoutMs` moves to a new connection (closing the old one also stops
 * the server generating what nobody will read).
 */
export class ResponsesWebSocketTransport {
  /** The live connection, opened on first use and again after a drop or an abandoned drain. */
  private connection: ResponsesConnection | undefined;

  constructor(
    private readonly getClient: () => OpenAI,
    private readonly options: { readonly scheduler: SchedulerLike; readonly drainTimeoutMs: number },
  ) {}

  /** The `openStream` seam over this transport. */
  readonly openStream: OpenStream = (request) =>
    new Observable<ResponseStreamEvent>((subscriber) => this.live().request(request, subscriber));

  private live(): ResponsesConnection {
    if (!this.connection || this.connection.closed) {
      this.connection = new ResponsesConnection(this.getClient(), this.options, (waiting) => {
        // The old connection is stuck draining: the waiting requests start over on a fresh one, with their full input.
        const fresh = this.live();
        for (const pending of waiting) fresh.adopt(pending);
      });
    }
    return this.connection;
  }

  /** Closes the connection (in-flight responses fail); a later request opens a new one. */
  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }
}

class ResponsesConnection {
  /** Requests the server has not finished, oldest first: events go to the first. */
  private readonly pending: PendingResponse[] = [];
  /** The last response completed for a subscriber: the next request may chain from it. */
  private readonly chain = new ResponseChain();
  /** Whether the socket closed: this connection takes no more requests. */
  closed = false;
  /** Pending drain deadlines: cleared when the connection ends, so none outlives it. */
  private readonly drainTimers = new Subscription();
  private readonly socket: ResponsesWS;

  constructor(
    client: OpenAI,
    private readonly options: { readonly scheduler: SchedulerLike; readonly drainTimeoutMs: number },
    private readonly onAbandon: (waiting: PendingResponse[]) => void,
  ) {
    this.socket = new ResponsesWS(client);
    this.socket.on('event', (event) => this.route(event as ResponseStreamEvent));
    // Server `error` events arrive through 'event' too; this listener sees connection-level failures.
    this.socket.on('error', (error) => {
      if (!error.error) this.fail(new LLMStreamError(`LLM stream error: connection dropped or stream broken (${error.message})`));
    });
    this.socket.on('close', () => this.fail(new LLMStreamError('LLM stream error: connection dropped (WebSocket closed)')));
  }

  request(request: ResponsesStreamRequest, subscriber: Subscriber<ResponseStreamEvent>): TeardownLogic {
    const { stream: _stream, ...body } = request;
    const pending: PendingResponse = { subscriber, body, previousResponseId: undefined, resent: false, cancelled: false };
    this.pending.push(pending);
    const { input, previousResponseId } = this.chain.plan((body.input ?? []) as ResponseInputItem[]);
    this.send(pending, input, previousResponseId);
    if (this.pending.length > 1) this.boundDrain(pending);
    return () => {
      pending.cancelled = true;
    };
  }

  /** Takes over a request from an abandoned connection: sent with its full input, as this connection holds no chain. */
  adopt(pending: PendingResponse): void {
    this.pending.push(pending);
    this.send(pending, (pending.body.input ?? []) as ResponseInputItem[], undefined);
  }

  /** If `pending` still waits behind the responses before it after the drain timeout, leave this connection. */
  private boundDrain(pending: PendingResponse): void {
    const timer = this.options.scheduler.schedule(() => {
      this.drainTimers.remove(timer);
      if (this.closed || this.pending[0] === pending || !this.pending.includes(pending)) return;
      this.closed = true;
      const waiting = this.pending.splice(0).filter((candidate) => !candidate.cancelled);
      this.chain.forget();
      this.socket.close();
      this.onAbandon(waiting);
    }, this.options.drainTimeoutMs);
    this.drainTimers.add(timer);
  }

  close(): void {
    this.fail(new LLMStreamError('LLM stream error: the WebSocket transport was closed'));
    this.socket.close();
  }

  private send(pending: PendingResponse, input: readonly ResponseInputItem[], previousResponseId: string | undefined): void {
    pending.previousResponseId = previousResponseId;
    const event = { ...pending.body, type: 'response.create', input, ...(previousResponseId ? { previous_response_id: previousResponseId } : {}) };
    this.socket.send(event as Parameters<ResponsesWS['send']>[0]);
  }

  private route(event: ResponseStreamEvent): void {
    const head = this.pending[0];
    if (!head) return;
    if (event.type === 'error' && isChainLost(event) && head.previousResponseId && !head.resent && this.pending.length === 1) {
      // The server no longer holds the chain (e.g. a new server process): send the full input once, invisibly.
      head.resent = true;
      this.chain.forget();
      this.send(head, (head.body.input ?? []) as ResponseInputItem[], undefined);
      return;
    }
    const terminal = TERMINAL_EVENTS.has(event.type);
    if (terminal) this.pending.shift();
    if (head.cancelled) return;
    head.subscriber.next(event);
    if (!terminal) return;
    // Only a response delivered whole is what the context will hold next turn, so only it can be chained from.
    this.chain.settle((head.body.input ?? []) as ResponseInputItem[], event);
    head.subscriber.complete();
  }

  private fail(error: Error): void {
    this.closed = true;
    this.drainTimers.unsubscribe();
    this.chain.forget();
    for (const pending of this.pending.splice(0)) if (!pending.cancelled) pending.subscriber.error(error);
  }
}

