import { defer, identity, throwError, timeout, type MonoTypeOperatorFunction, type Observable, type SchedulerLike } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { LLMStreamError, LLMTimeoutError, type RxResponsesError } from '../errors';
import { ErrorFrame, LLMFullResponseEndFrame, LLMFullResponseStartFrame, MetricsFrame, type Frame } from '../frames';
import { bracketResponse, type BracketResponseConfig, type ResponseAttempts } from '../operators/bracket-response';
import type { FrameSink } from '../operators/emit-each';
import type { CallLedger } from './call-ledger';
import { createResponseState, type ResponseState } from './response-state';
import { retryDecider, type RetryPolicy } from './retry';
import { recordFailure, startResponseSpan, type SpanLike, type TracerLike } from './tracing';

/** The deadlines of one response; each only when set. */
export interface ResponseTimeouts {
  /** Milliseconds allowed until the first output event (from the request; so it covers a server that sends no headers). */
  readonly completionMs?: number | undefined;
  /** Milliseconds allowed between two events. */
  readonly stallMs?: number | undefined;
}

/** What every response of a service shares: its stall limit and its attempts (deadline, retries), made once per source. */
const partsBySource = new WeakMap<object, { readonly stall: MonoTypeOperatorFunction<unknown>; readonly attempts: ResponseAttempts<unknown> }>();

/** The stall limit (inside each attempt, when set) and the attempts of a source's responses: a response allocates neither. */
function partsOf<Event>(source: ResponseSource<Event, never>): { readonly stall: MonoTypeOperatorFunction<Event>; readonly attempts: ResponseAttempts<Event> } {
  const known = partsBySource.get(source);
  if (known) return known as unknown as { readonly stall: MonoTypeOperatorFunction<Event>; readonly attempts: ResponseAttempts<Event> };
  const { completionMs, stallMs } = source.timeouts;
  const { scheduler } = source;
  const timedOut = (message?: string) => {
    source.onTimeout();
    return new LLMTimeoutError(message);
  };
  const parts = {
    stall: (stallMs === undefined
      ? identity
      : timeout({ each: stallMs, scheduler, with: () => throwError(() => timedOut(`LLM completion timeout: no event for ${stallMs} ms`)) })) as MonoTypeOperatorFunction<Event>,
    attempts: {
      scheduler,
      deadlineMs: completionMs,
      isFirst: (event: Event) => source.isOutputEvent(event),
      deadlineError: () => timedOut(),
      retryDelay: source.retryDelay ?? retryDecider(source.retry, (error) => source.toError(error)),
    },
  };
  partsBySource.set(source, parts as never);
  return parts;
}

/**
 * What the core needs from a provider to stream one response: the I/O (context and settings in, events out) and the
 * pure mapping of events to frames. A service builds one and every turn shares it.
 */
export interface ResponseSource<Event, Settings extends { readonly model: string }> {
  /** The service's name in metrics. */
  readonly name: string;
  /** The clock of metrics and deadlines. */
  readonly scheduler: SchedulerLike;
  /** The deadlines. */
  readonly timeouts: ResponseTimeouts;
  /** How failed requests and timeouts before any output are retried. */
  readonly retry: RetryPolicy;
  /** A retry decision of its own (milliseconds to wait, or undefined to give up), instead of one from `retry`. */
  readonly retryDelay?: (error: unknown, retries: number) => number | undefined;
  /** Builds the request and opens its event stream; unsubscribing aborts it. */
  openEvents(context: LLMContext, settings: Settings): Observable<Event>;
  /** Whether an event is the model's output rather than a preamble (it stops the TTFB clock and the first deadline). */
  isOutputEvent(event: Event): boolean;
  /** Maps one event to frames, updating the response's state (pure). */
  mapEvent(event: Event, state: ResponseState, emit: FrameSink): void;
  /** Turns anything the I/O threw into a typed error with a clear message. */
  toError(error: unknown): RxResponsesError;
  /** An ErrorFrame as it may leave the library: server text can quote a credential. */
  redact(frame: ErrorFrame): ErrorFrame;
  /** Where a span per response goes, when tracing; and the provider's name for its `gen_ai.system` attribute. */
  readonly tracing?: { readonly tracer: TracerLike; readonly system: string } | undefined;
  /** Called on every timeout, before any retry (the `completionTimeout` event). */
  onTimeout(): void;
}

/** What a pipeline tracks across its turns: whether a response is open (a cancel must close it) and its calls. */
export interface OpenResponseTracker {
  /** Whether Start went out without its End. */
  open: boolean;
  /** The pipeline's function calls that have not ended. */
  readonly calls: CallLedger;
}

/** One streamed response as frames, plus its final state (read after completion, e.g. for function calls). */
export interface StreamedResponse {
  /** Start, TTFB, text, usage, errors, processing time, End; never errors. */
  readonly frames$: Observable<Frame>;
  /** Filled while `frames$` runs. */
  readonly state: ResponseState;
}

/** The ErrorFrame of a typed error (never fatal: the next context still runs). */
export function errorFrameFor(error: RxResponsesError): ErrorFrame {
  return new ErrorFrame({ error: error.message, exception: error });
}

/**
 * Streams one response for a context: `LLMFullResponseStartFrame` … `LLMFullResponseEndFrame`, with every failure
 * turned into an `ErrorFrame` inside the brackets. The clock starts at subscription (the context frame's arrival).
 * `tracker` follows whether the response is open; `leading` (what closes the turn this one replaces) goes first.
 */
export function streamResponse<Event, Settings extends { readonly model: string }>(
  context: LLMContext,
  settings: Settings,
  source: ResponseSource<Event, Settings>,
  tracker: Pick<OpenResponseTracker, 'open'> = { open: false },
  leading: readonly Frame[] = [],
): StreamedResponse {
  const state = createResponseState(source.name, settings.model);
  const frames$ = defer(() => {
    // Made at subscription: the metrics count from the context frame's arrival.
    const frames = new ResponseFrames(state, settings.model, source, tracker, leading, context);
    // Each attempt is a new request with its own deadlines; a retry is only made while no output went out.
    return defer(() => source.openEvents(context, settings)).pipe(partsOf(source as ResponseSource<Event, never>).stall, bracketResponse(frames));
  });
  return { frames$, state };
}

/**
 * The frames around and of one response's events, as `bracketResponse` asks for them. A class rather than four
 * closures: with a thousand sessions open, one small object per response instead of a closure and context each.
 */
class ResponseFrames<Event, Settings extends { readonly model: string }> implements BracketResponseConfig<Event> {
  /** When the response started, on the source's clock: TTFB and processing time count from it. */
  private readonly startedAt: number;
  /** The deadline and retries of the response's attempts, shared by every response of the service. */
  readonly attempts: ResponseAttempts<Event>;

  constructor(
    private readonly state: ResponseState,
    private readonly model: string,
    private readonly source: ResponseSource<Event, Settings>,
    private readonly tracker: Pick<OpenResponseTracker, 'open'>,
    private readonly leading: readonly Frame[],
    private readonly context: LLMContext,
  ) {
    this.startedAt = source.scheduler.now();
    this.attempts = partsOf(source as ResponseSource<Event, never>).attempts;
    if (source.tracing) this.span = state.span = startResponseSpan(source.tracing.tracer, source.tracing.system, model, source.name);
  }

  /** The response's span, when tracing: ended at End, or at teardown when the response was cancelled. */
  private span: SpanLike | undefined;

  /** Ends the span of a cancelled response (one that ended has ended its span already). */
  teardown(): void {
    if (!this.span) return;
    this.span.setAttribute('rx_responses.cancelled', true);
    this.span.end();
    this.span = undefined;
  }

  start(emit: FrameSink): void {
    for (const frame of this.leading) emit(frame);
    this.tracker.open = true;
    emit(new LLMFullResponseStartFrame());
  }

  onEvent(event: Event, emit: FrameSink): boolean {
    if (!this.state.outputStarted && this.source.isOutputEvent(event)) {
      this.state.outputStarted = true;
      const ttfb = this.metric('ttfb');
      this.span?.setAttribute('rx_responses.ttfb_seconds', ttfb.data[0]!.value as number);
      emit(ttfb);
    }
    this.source.mapEvent(event, this.state, (this.mapped ??= this.framesOut(emit)));
    // A terminal event ends the response now, whatever the connection does afterwards.
    return this.state.finished;
  }

  /** Whether answer text went out yet: the first one is preceded by the TTFAT metric. */
  private answerStarted = false;
  /** Where the mapped frames go, made once (the bracket's emit is the same for the whole response). */
  private mapped: FrameSink | undefined;

  /** `emit` for the mapped frames: the first answer text is preceded by the TTFAT metric, and error frames are cleaned. */
  private framesOut(emit: FrameSink): FrameSink {
    return (frame) => {
      if (frame.type === 'LLMTextFrame') {
        if (!this.answerStarted) {
          this.answerStarted = true;
          emit(this.metric('ttfat'));
        }
      } else if (frame.type === 'ErrorFrame') {
        frame = this.source.redact(frame);
        if (this.span && frame.exception) recordFailure(this.span, frame.exception);
      } else if (frame.type === 'MetricsFrame' && this.span) {
        for (const data of frame.data) {
          if (data.kind !== 'usage') continue;
          this.span.setAttribute('gen_ai.response.model', data.model);
          this.span.setAttribute('gen_ai.usage.input_tokens', data.value.promptTokens);
          this.span.setAttribute('gen_ai.usage.output_tokens', data.value.completionTokens);
        }
      }
      emit(frame);
    };
  }

  onError(error: unknown): Frame {
    this.state.failed = true;
    const frame = this.source.redact(errorFrameFor(this.source.toError(error)));
    if (this.span && frame.exception) recordFailure(this.span, frame.exception);
    return frame;
  }

  onEnd(emit: FrameSink): void {
    if (!this.state.finished && !this.state.failed) {
      this.state.failed = true;
      const error = new LLMStreamError('LLM stream ended before the response completed');
      if (this.span) recordFailure(this.span, error);
      emit(errorFrameFor(error));
    }
    this.keepReasoning();
    emit(this.metric('processing'));
    this.tracker.open = false;
    this.span?.end();
    this.span = undefined;
    emit(new LLMFullResponseEndFrame());
  }

  /**
   * The encrypted reasoning of a completed answer goes into the context before End, as an assistant message of its own:
   * the assistant aggregator adds the text at End, so the next request sends the reasoning before it (under
   * `store: false` the server keeps nothing, and this is how a reasoning model keeps its chain). A response with function
   * calls keeps its reasoning on the calls' message instead.
   */
  private keepReasoning(): void {
    const { finished, failed, functionCalls, reasoningItems } = this.state;
    if (!finished || failed || functionCalls.size > 0 || reasoningItems.length === 0) return;
    const kept = reasoningItems.filter((item) => item.encrypted_content);
    if (kept.length > 0) this.context.addMessage({ role: 'assistant', content: null, reasoning: kept });
  }

  private metric(kind: 'ttfb' | 'ttfat' | 'processing'): MetricsFrame {
    const value = (this.source.scheduler.now() - this.startedAt) / 1000;
    return new MetricsFrame({ data: [{ kind, processor: this.source.name, model: this.model, value }] });
  }
}
