import type OpenAI from 'openai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Observable, Subscription, type SchedulerLike, type Subscriber, type TeardownLogic } from 'rxjs';
import { LLMStreamError } from '../../../errors';
import { isOutputEvent, isTerminalEvent } from '../events';
import type { OpenStream } from '../sse-stream';
import { inputItemsOf, type ResponsesStreamRequest } from '../request';
import { isChainLost, ResponseChain } from '../response-chain';
import type { OpenResponsesSocket, ResponsesSocket } from './responses-socket';

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
  /** Whether any of its output arrived: after that, a dropped connection fails it (a resend would repeat frames). */
  outputSeen: boolean;
  /** Whether it was sent again after a dropped connection (once at most). */
  resentAfterDrop: boolean;
}

/** How the transport behaves over time. */
export interface WebSocketTransportOptions {
  /** The clock of drains, reconnect waits and the connection's age. */
  readonly scheduler: SchedulerLike;
  /** How long a request may wait behind cancelled responses before moving to a new connection. */
  readonly drainTimeoutMs: number;
  /** Replace a connection older than this, between responses (the server closes them at 60 minutes). */
  readonly maxAgeMs: number;
  /** The wait before reconnecting after a drop. */
  readonly reconnectDelayMs: number;
  /** Told of every dropped connection. */
  readonly onConnectionError: (error: Error) => void;
  /** Opens each connection's socket: the SDK's `ResponsesWS` in Node, the platform's `WebSocket` in a browser. */
  readonly openSocket: OpenResponsesSocket;
}

/**
 * The Responses API over one WebSocket for a service, reused across turns. Responses are
 * answered in order, so each event belongs to the oldest unfinished request. A cancelled response's remaining events are
 * ignored. A request sends only its new input items with `previous_response_id` when the context's prefix is what the
 * server already holds, and falls back to the full input otherwise, or when the server says it does not know the previous
 * response. A dropped connection fails the responses that had output; one that had none is sent again, once, with its
 * full input, on a new connection after `reconnectDelayMs`. A connection older than `maxAgeMs` is replaced when the next
 * request comes (between responses, never during one). A request kept waiting
 * behind cancelled responses for longer than `drainTimeoutMs` moves to a new connection (closing the old one also stops
 * the server generating what nobody will read).
 */
export class ResponsesWebSocketTransport {
  /** The live connection, opened on first use and again after a drop or an abandoned drain. */
  private connection: ResponsesConnection | undefined;
  /** A connection opened ahead (a request waits behind cancelled responses): the next one `live()` hands out. */
  private spare: ResponsesConnection | undefined;

  /** Reconnect waits in progress: cancelled by `close()`, so none outlives the transport. */
  private reconnects = new Subscription();

  constructor(
    private readonly getClient: () => OpenAI,
    private readonly options: WebSocketTransportOptions,
  ) {}

  /** The `openStream` seam over this transport. */
  readonly openStream: OpenStream = (request) =>
    new Observable<ResponseStreamEvent>((subscriber) => this.live().request(request, subscriber));

  private live(): ResponsesConnection {
    // An old connection is replaced before the server's age limit, only when nothing is in flight on it.
    if (this.connection && !this.connection.closed && this.connection.idle && this.options.scheduler.now() - this.connection.openedAt >= this.options.maxAgeMs) {
      this.connection.retire();
    }
    if ((!this.connection || this.connection.closed) && this.spare && !this.spare.closed) {
      this.connection = this.spare;
      this.spare = undefined;
    }
    if (!this.connection || this.connection.closed) this.connection = this.open();
    return this.connection;
  }

  /** A new connection, with what it hands over when it is abandoned or dropped. */
  private open(): ResponsesConnection {
    return new ResponsesConnection(this.getClient(), this.options, {
      // The old connection is stuck draining: the waiting requests start over on a fresh one, with their full input.
      abandoned: (waiting) => {
        const fresh = this.live();
        for (const pending of waiting) fresh.adopt(pending);
      },
      // The connection dropped before these had output: after a short wait, once, on a new connection.
      dropped: (waiting) => {
        const wait = this.options.scheduler.schedule(() => {
          this.reconnects.remove(wait);
          const fresh = this.live();
          for (const pending of waiting) if (!pending.cancelled) fresh.adopt(pending);
        }, this.options.reconnectDelayMs);
        this.reconnects.add(wait);
      },
      // A request waits behind cancelled responses: race their drain against a new connection.
      spare: () => {
        this.spare ??= this.open();
        const spare = this.spare;
        return spare.opened.then(() => !spare.closed);
      },
    });
  }

  /** Opens the connection now, if none is open, so the first request finds it; resolves once it is open (or failed). */
  warmUp(): Promise<void> {
    return this.live().opened;
  }

  /** Closes the connection (in-flight responses fail) and cancels reconnect waits; a later request opens a new one. */
  close(): void {
    this.spare?.close();
    this.spare = undefined;
    this.reconnects.unsubscribe();
    // A closed Subscription would cancel whatever is added to it later: a service used again needs a fresh one.
    this.reconnects = new Subscription();
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
  private readonly socket: ResponsesSocket;

  /** When the connection opened, on the transport's clock. */
  readonly openedAt: number;

  constructor(
    client: OpenAI,
    private readonly options: WebSocketTransportOptions,
    private readonly handoff: {
      readonly abandoned: (waiting: PendingResponse[]) => void;
      readonly dropped: (waiting: PendingResponse[]) => void;
      /** Opens a connection to move to; resolves whether it opened. */
      readonly spare: () => Promise<boolean>;
    },
  ) {
    this.openedAt = options.scheduler.now();
    this.socket = options.openSocket(client, {
      event: (event) => this.route(event),
      dropped: (reason) => this.dropped(new LLMStreamError(`LLM stream error: ${reason}`)),
    });
  }

  /** Resolves once the socket is open, or failed first. */
  get opened(): Promise<void> {
    return this.socket.opened;
  }

  request(request: ResponsesStreamRequest, subscriber: Subscriber<ResponseStreamEvent>): TeardownLogic {
    const { stream: _stream, ...body } = request;
    const pending: PendingResponse = { subscriber, body, previousResponseId: undefined, resent: false, cancelled: false, outputSeen: false, resentAfterDrop: false };
    this.pending.push(pending);
    const { input, previousResponseId } = this.chain.plan(inputItemsOf(body), body.model);
    this.send(pending, input, previousResponseId);
    if (this.pending.length > 1) this.boundDrain(pending);
    return () => {
      pending.cancelled = true;
    };
  }

  /** Takes over a request from an abandoned connection: sent with its full input, as this connection holds no chain. */
  adopt(pending: PendingResponse): void {
    this.pending.push(pending);
    this.send(pending, inputItemsOf(pending.body), undefined);
  }

  /**
   * If `pending` still waits behind the responses before it after the drain timeout, leave this connection. When only
   * cancelled responses are ahead (a resend after an interruption), a new connection is opened at once, and the request
   * moves to it if it opens before the old responses drain: whichever is ready first answers (closing the old connection
   * also stops the server generating what nobody will read).
   */
  private boundDrain(pending: PendingResponse): void {
    const waiting = () => !this.closed && this.pending[0] !== pending && this.pending.includes(pending) && !pending.cancelled;
    const timer = this.options.scheduler.schedule(() => {
      this.drainTimers.remove(timer);
      if (waiting()) this.abandon();
    }, this.options.drainTimeoutMs);
    this.drainTimers.add(timer);
    const ahead = this.pending.slice(0, this.pending.indexOf(pending));
    if (ahead.every((candidate) => candidate.cancelled)) void this.handoff.spare().then((open) => open && waiting() && this.abandon());
  }

  /** Leaves this connection: the requests still waiting start over on a fresh one, with their full input. */
  private abandon(): void {
    this.closed = true;
    const waiting = this.pending.splice(0).filter((candidate) => !candidate.cancelled);
    this.drainTimers.unsubscribe();
    this.chain.forget();
    this.socket.close();
    this.handoff.abandoned(waiting);
  }

  close(): void {
    this.fail(new LLMStreamError('LLM stream error: the WebSocket transport was closed'));
    this.socket.close();
  }

  /** Whether no response is in flight: the connection may be replaced without cutting one. */
  get idle(): boolean {
    return this.pending.length === 0;
  }

  /** Closes an idle connection that reached its age: nothing is in flight, so nothing fails. */
  retire(): void {
    this.closed = true;
    this.drainTimers.unsubscribe();
    this.socket.close();
  }

  private send(pending: PendingResponse, input: readonly ResponseInputItem[], previousResponseId: string | undefined): void {
    pending.previousResponseId = previousResponseId;
    const event = { ...pending.body, type: 'response.create', input, ...(previousResponseId ? { previous_response_id: previousResponseId } : {}) };
    this.socket.send(event);
  }

  private route(event: ResponseStreamEvent): void {
    const head = this.pending[0];
    if (!head) return;
    if (event.type === 'error' && isChainLost(event) && head.previousResponseId && !head.resent && this.pending.length === 1) {
      // The server no longer holds the chain (e.g. a new server process): send the full input once, invisibly.
      head.resent = true;
      this.chain.forget();
      this.send(head, inputItemsOf(head.body), undefined);
      return;
    }
    const terminal = isTerminalEvent(event);
    if (terminal) this.pending.shift();
    if (head.cancelled) return;
    if (isOutputEvent(event)) head.outputSeen = true;
    head.subscriber.next(event);
    if (!terminal) return;
    // Only a response delivered whole is what the context will hold next turn, so only it can be chained from.
    this.chain.settle(inputItemsOf(head.body), head.body.model, event);
    head.subscriber.complete();
  }

  private fail(error: Error): void {
    this.closed = true;
    this.drainTimers.unsubscribe();
    this.chain.forget();
    for (const pending of this.pending.splice(0)) if (!pending.cancelled) pending.subscriber.error(error);
  }

  /**
   * The connection dropped (not by us): it is reported, the responses that had output fail, and those that had none are
   * handed over to be sent again, once each, with their full input on a new connection.
   */
  private dropped(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.drainTimers.unsubscribe();
    this.chain.forget();
    this.options.onConnectionError(error);
    const again: PendingResponse[] = [];
    for (const pending of this.pending.splice(0)) {
      if (pending.cancelled) continue;
      if (pending.outputSeen || pending.resentAfterDrop) pending.subscriber.error(error);
      else {
        pending.resentAfterDrop = true;
        again.push(pending);
      }
    }
    if (again.length > 0) this.handoff.dropped(again);
  }
}

