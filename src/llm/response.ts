import { defer, Observable, takeUntil, timer, type Subscriber, type TeardownLogic } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { LLMEmptyResponseError, LLMStreamError, type RxResponsesError } from '../errors/errors';
import { LLMFullResponseEndFrame, LLMFullResponseStartFrame, MetricsFrame, type Frame } from '../frames';
import { errorFrameFor } from '../frames/error-frame-for';
import { followedBy } from '../operators/followed-by';
import type { FrameSink } from './provider';
import { createResponseRecord, reasoningWithOrigin, resetRecord, type ResponseRecord } from './response-record';
import { ResponseRequest, type RequestObserver } from './response-request';
import { openResponseSpan, recordEndOnSpan, recordResponseMetrics, recordUsageOnSpan } from './response-telemetry';
import { recordFailure, type SpanLike } from './tracing';
import type { TurnCore } from './turn-core';
import type { TurnState } from './turn-state';

/**
 * After a response's terminal event, how long (ms) its events may take to end before the request is let go. The frames
 * are all out at the terminal event; the request is released in the background, so the transport can finish it cleanly
 * (over HTTP, the body's last bytes: the connection is then reused instead of paying new handshakes). A function-call
 * follow-up waits for that release before it sends.
 */
export const RELEASE_WAIT_MS = 1000;

/**
 * How long (ms) a request waits for the previous request of its pipeline to be released before it goes out on a new
 * connection instead: the body's last bytes take a moment; new handshakes take round trips.
 */
export const NEXT_REQUEST_WAIT_MS = 100;

/** Content frames that are the model's thinking, not something the user is shown as an answer. */
const THOUGHT_FRAMES: ReadonlySet<string> = new Set(['LLMThoughtStartFrame', 'LLMThoughtTextFrame', 'LLMThoughtEndFrame']);

/** One streamed response as frames, with what it recorded (read once `frames$` completed, e.g. for function calls). */
export interface StreamedResponse {
  /** Start, TTFB, content, TTFAT, errors, usage, processing time, End; never errors. */
  readonly frames$: Observable<Frame>;
  /** What the provider's mapping recorded: calls, reasoning, usage, the end. */
  readonly record: ResponseRecord;
  /** Whether the response failed (an ErrorFrame went out for it): its calls are not run. */
  readonly failed: () => boolean;
  /** The response's span, when tracing (its function calls' spans are its children). */
  readonly span: () => SpanLike | undefined;
  /** Completes once the response's request is released (its events ended, or were let go): at once when it was. */
  readonly released$: Observable<never>;
}

/**
 * Streams one response for a context, with the settings in force now: `LLMFullResponseStartFrame` … `LLMFullResponseEndFrame`,
 * every failure an `ErrorFrame` inside the brackets. The provider's mapping emits the content; this bracket emits every
 * other frame. The clock starts at subscription (the context frame's arrival).
 */
export function streamResponse<Event, Settings extends { readonly model: string }>(
  core: TurnCore<Event, Settings>,
  context: LLMContext,
  turn: TurnState,
  after?: Observable<never>,
): StreamedResponse {
  const settings = core.settings(turn.session);
  const record = createResponseRecord(settings.model);
  // The bracket of the subscription (one per response).
  let bracket: ResponseBracket<Event> | undefined;
  // The request goes out once `after` completed (the previous request of the turn released its connection).
  const open$ = defer(() => core.provider.openEvents(context, settings));
  // followedBy hands the request's events straight to the subscriber (concat would add hops to every event).
  const waited$ = after && after.pipe(takeUntil(timer(NEXT_REQUEST_WAIT_MS, core.scheduler)), followedBy(() => open$));
  const events$ = (waited$ ?? open$).pipe(core.stall);
  const frames$ = new Observable<Frame>((subscriber) => {
    bracket = new ResponseBracket(core, record, context, turn, subscriber, settings);
    // Each attempt is a new request with its own deadlines; a retry is only made while no output went out.
    return bracket.run(events$);
  });
  const released$ = new Observable<never>((subscriber) => (bracket ? bracket.request.whenReleased(() => subscriber.complete()) : subscriber.complete()));
  return { frames$, record, failed: () => bracket?.failed ?? false, span: () => bracket?.span, released$ };
}

/**
 * The frames around one response's events. A class rather than closures: with a thousand sessions open, one small
 * object per response instead of a closure and context each.
 */
class ResponseBracket<Event> implements RequestObserver<Event> {
  /** When the response started, on the core's clock: TTFB and processing time count from it. */
  private readonly startedAt: number;
  /** Whether an ErrorFrame went out for the response. */
  failed = false;
  /** The failure the ErrorFrame reported, if any (the duration metric names its type). */
  private failure: RxResponsesError | undefined;
  /** The response's span, when tracing: ended at End, or at teardown when the response was cancelled. */
  span: SpanLike | undefined;
  /** Whether the first output event came (it stops the TTFB clock). */
  private outputStarted = false;
  /** Whether anything the user sees went out (text, a refusal, a citation, a hosted tool's progress): not thoughts. */
  private shown = false;
  /** How many times the response was asked again for being empty. */
  private emptyRetries = 0;
  /** Whether answer text went out yet: the first one is preceded by the TTFAT metric. */
  private answerStarted = false;
  /** Whether End went out: later events and failures are not read. */
  private ended = false;
  /** The request behind the response: its attempts, and its release once the response ended. */
  request!: ResponseRequest<Event>;
  /** Where the provider's content frames go (made once per response). */
  private readonly content: FrameSink;

  constructor(
    private readonly core: TurnCore<Event, { readonly model: string }>,
    private readonly record: ResponseRecord,
    private readonly context: LLMContext,
    private readonly turn: TurnState,
    private readonly subscriber: Subscriber<Frame>,
    settings: { readonly model: string },
  ) {
    this.startedAt = core.scheduler.now();
    this.span = openResponseSpan(core, context, settings);
    this.content = (frame) => {
      if (!this.shown && !THOUGHT_FRAMES.has(frame.type)) this.shown = true;
      if (frame.type === 'LLMTextFrame') {
        if (!this.answerStarted) {
          this.answerStarted = true;
          subscriber.next(this.metric('ttfat'));
        }
      } else if (frame.type === 'ErrorFrame') {
        // The contract says content only; a provider's error frame is cleaned all the same.
        frame = this.core.redactor().frame(frame);
      }
      subscriber.next(frame);
    };
  }

  /** Opens the response and sends its request; the teardown lets the request go and ends a cancelled response's span. */
  run(events$: Observable<Event>): TeardownLogic {
    this.request = new ResponseRequest(events$, this.core.attempts, this);
    this.turn.open = true;
    this.turn.response = this.record;
    this.subscriber.next(new LLMFullResponseStartFrame());
    this.request.start();
    return () => {
      // A response that finished keeps its request until the events end (or the wait runs out): see RELEASE_WAIT_MS.
      if (!this.request.holding) this.request.letGo();
      if (this.ended || !this.span) return;
      this.span.setAttribute('rx_responses.cancelled', true);
      this.span.end();
    };
  }

  /** The events ended: a response still open ends now (with the failure, if any). */
  onEventsEnded(failure?: unknown): void {
    if (!this.ended) this.end(failure);
  }

  onEvent(event: Event): void {
    if (this.ended) return;
    if (!this.outputStarted && this.core.provider.isOutputEvent(event)) {
      this.outputStarted = true;
      this.request.outputStarted();
      const ttfb = this.metric('ttfb');
      this.span?.setAttribute('rx_responses.ttfb_seconds', ttfb.data[0]!.value as number);
      this.subscriber.next(ttfb);
    }
    try {
      this.core.provider.mapEvent(event, this.record, this.content);
    } catch (error) {
      return this.end(error ?? new Error('unreadable event'));
    }
    // A tool-only answer's first call is its first answer (Pipecat measures TTFAT there too): once per response.
    if (!this.answerStarted && this.record.functionCalls.size > 0) {
      this.answerStarted = true;
      this.subscriber.next(this.metric('ttfat'));
    }
    // A terminal event ends the response now, whatever the connection does afterwards, unless it is tried again.
    if (this.record.finished && !this.triedAgain()) this.end();
  }

  /**
   * A response that finished with nothing to show is tried again: a failure reported before any output (an `error`
   * event, `response.failed`) as a failed request would be (retryable codes, the same backoff, failover), an empty answer
   * at once, `emptyResponseRetries` times, before it ends as an `LLMEmptyResponseError`. Returns whether the request took
   * it over (it then retries, or ends the response with the failure).
   */
  private triedAgain(): boolean {
    const { record } = this;
    if (record.error && !this.outputStarted) {
      const failure = record.error;
      resetRecord(record);
      this.request.fail(failure);
      return true;
    }
    if (record.error || this.shown || record.functionCalls.size > 0 || record.outputItems.some((item) => item.kind !== 'kept')) return false;
    const willRetry = this.emptyRetries < this.core.emptyResponseRetries;
    this.core.emptyResponse(willRetry);
    if (!willRetry) {
      record.error = new LLMEmptyResponseError(this.emptyRetries);
      return false;
    }
    this.emptyRetries++;
    resetRecord(record);
    this.request.retryNow();
    return true;
  }

  /** Closes the response: its failure, usage, kept reasoning, processing time and End, whichever way it ended. */
  private end(failure?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const { record } = this;
    if (failure !== undefined) this.fail(this.core.provider.toError(failure));
    else if (!record.finished) this.fail(new LLMStreamError('LLM stream ended before the response completed'));
    else if (record.error) this.fail(record.error);
    if (record.usage) this.usage();
    this.keepReasoning();
    const processing = this.metric('processing');
    this.subscriber.next(processing);
    this.turn.open = false;
    recordResponseMetrics(this.core, record, processing.data[0]!.value as number, this.failure);
    if (this.span) recordEndOnSpan(this.span, record, this.failed);
    this.span?.end();
    // A response whose calls will run has its text written with them (see runFunctionCalls), not by the aggregator.
    const textInContext = !this.failed && [...record.functionCalls.values()].some((call) => call.done);
    this.subscriber.next(new LLMFullResponseEndFrame({ textInContext, incomplete: this.failed, itemId: this.failed ? record.messageId : undefined }));
    // A finished response's events that have not ended yet (the body's last bytes) get a bounded wait, so the transport
    // can keep its connection; what comes meanwhile is not read. Anything else is let go when the frames complete.
    if (record.finished && failure === undefined) this.request.holdUntilReleased(RELEASE_WAIT_MS);
    this.subscriber.complete();
  }

  private fail(error: RxResponsesError): void {
    this.failed = true;
    this.failure = error;
    const frame = this.core.redactor().frame(errorFrameFor(error));
    if (this.span && frame.exception) recordFailure(this.span, frame.exception);
    this.subscriber.next(frame);
  }

  private usage(): void {
    const usage = this.record.usage!;
    const model = this.record.model || this.record.requestedModel;
    if (this.span) recordUsageOnSpan(this.span, this.record, model);
    this.subscriber.next(new MetricsFrame({ data: [{ kind: 'usage', processor: this.core.name, model, value: usage }] }));
  }

  /**
   * The encrypted reasoning of a completed answer goes into the context before End, as an assistant message of its own:
   * the assistant aggregator adds the text at End, so the next request sends the reasoning before it (under
   * `store: false` the server keeps nothing, and this is how a reasoning model keeps its chain). A response with function
   * calls keeps its reasoning on the calls' message instead.
   */
  private keepReasoning(): void {
    const { functionCalls, reasoningItems, outputItems } = this.record;
    if (this.failed || functionCalls.size > 0 || (reasoningItems.length === 0 && outputItems.length === 0)) return;
    const kept = reasoningWithOrigin(this.record, this.core.name).filter((item) => item.encrypted_content);
    // Items the app answers go in now, so its answer (a policy's, or a frame's later) follows them.
    const items = outputItems.map((item) => item.item);
    if (kept.length > 0 || items.length > 0) this.context.addMessage({ role: 'assistant', content: null, ...(kept.length > 0 ? { reasoning: kept } : {}), ...(items.length > 0 ? { items } : {}) });
  }

  private metric(kind: 'ttfb' | 'ttfat' | 'processing'): MetricsFrame {
    const value = (this.core.scheduler.now() - this.startedAt) / 1000;
    return new MetricsFrame({ data: [{ kind, processor: this.core.name, model: this.record.requestedModel, value }] });
  }
}
