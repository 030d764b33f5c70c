import { defer, identity, of, retry, tap, throwError, timeout, type Observable, type SchedulerLike } from 'rxjs';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { FrameSink } from '../../operators/emit-each';
import type { LLMContext } from '../../context/llm-context';
import { LLMStreamError, LLMTimeoutError } from '../../errors';
import { LLMFullResponseEndFrame, LLMFullResponseStartFrame, MetricsFrame, type Frame } from '../../frames';
import { errorFrameFor } from './failure';
import { emitFramesForEvent, isOutputEvent } from './frames-from-events';
import type { OpenStream } from './http-stream';
import { bracketResponse, type BracketResponseConfig } from './operators/bracket-response';
import { timeoutUntilFirst } from './operators/timeout-until-first';
import { buildStreamRequest } from './request';
import type { ResolvedSettings } from './settings';
import { createStreamState, type ResponseStreamState } from './stream-state';

/** What streaming one response needs from the service. */
export interface ResponseTurnDeps {
  /** The I/O seam. */
  readonly openStream: OpenStream;
  /** The clock of the metrics. */
  readonly scheduler: SchedulerLike;
  /** The service's name in metrics. */
  readonly processor: string;
  /** The constructor's service tier. */
  readonly serviceTier: string | undefined;
  /** Values that must never appear in a message (the API key). */
  readonly secrets: readonly (string | undefined)[];
  /** Milliseconds allowed until the first output event, if limited. */
  readonly completionTimeoutMs?: number | undefined;
  /** Milliseconds allowed between two events, if limited. */
  readonly stallTimeoutMs?: number | undefined;
  /** Re-issue the request once when it timed out before any output (as Pipecat's `retry_on_timeout`). */
  readonly retryOnTimeout?: boolean | undefined;
  /** Called on every timeout, before any retry (the `completionTimeout` event). */
  readonly onTimeout?: (() => void) | undefined;
}

/** Whether a response of this pipeline is open downstream (Start sent, End not yet): a cancel must close it. */
export interface OpenResponseTracker {
  open: boolean;
}

/** One streamed response as frames, plus its final state (read after completion, e.g. for function calls). */
export interface StreamedResponse {
  /** Start, TTFB, text, usage, errors, processing time, End; never errors. */
  readonly frames$: Observable<Frame>;
  /** Filled while `frames$` runs. */
  readonly state: ResponseStreamState;
}

/**
 * Streams one response for a context: `LLMFullResponseStartFrame` … `LLMFullResponseEndFrame`, with every failure
 * turned into an `ErrorFrame` inside the brackets. The clock starts at subscription (the context frame's arrival).
 * `tracker` follows whether the response is open; `leading` (the End of a response this one replaces) goes first.
 */
export function streamResponse(
  context: LLMContext,
  settings: ResolvedSettings,
  deps: ResponseTurnDeps,
  tracker: OpenResponseTracker = { open: false },
  leading?: Frame,
): StreamedResponse {
  const state = createStreamState(deps.processor, settings.model, deps.secrets);
  const frames$ = defer(() => {
    // Made at subscription: the metrics count from the context frame's arrival.
    const frames = new ResponseFrames(state, settings.model, deps, tracker, leading);
    const opened$ = defer(() => deps.openStream(buildStreamRequest({ context, settings, serviceTier: deps.serviceTier })));
    const timed$ = hasTimeouts(deps) ? opened$.pipe(withTimeouts(deps)) : opened$;
    // A retry is only safe while nothing was emitted: a timeout after output would duplicate frames.
    const events$ = deps.retryOnTimeout
      ? timed$.pipe(retry({ count: 1, delay: (error: unknown) => (error instanceof LLMTimeoutError && !state.outputStarted ? of(0) : throwError(() => error)) }))
      : timed$;
    return events$.pipe(bracketResponse(frames));
  });
  return { frames$, state };
}

/**
 * The frames around and of one response's events, as `bracketResponse` asks for them. A class rather than four
 * closures: with a thousand sessions open, one small object per response instead of a closure and context each.
 */
class ResponseFrames implements BracketResponseConfig<ResponseStreamEvent> {
  /** When the response started, on the deps' clock: TTFB and processing time count from it. */
  private readonly startedAt: number;

  constructor(
    private readonly state: ResponseStreamState,
    private readonly model: string,
    private readonly deps: ResponseTurnDeps,
    private readonly tracker: OpenResponseTracker,
    private readonly leading: Frame | undefined,
  ) {
    this.startedAt = deps.scheduler.now();
  }

  start(emit: FrameSink): void {
    if (this.leading) emit(this.leading);
    this.tracker.open = true;
    emit(new LLMFullResponseStartFrame());
  }

  onEvent(event: ResponseStreamEvent, emit: FrameSink): void {
    if (!this.state.outputStarted && isOutputEvent(event)) {
      this.state.outputStarted = true;
      emit(this.metric('ttfb'));
    }
    emitFramesForEvent(event, this.state, emit);
  }

  onError(error: unknown): Frame {
    this.state.failed = true;
    return errorFrameFor(error, this.deps.secrets);
  }

  onEnd(emit: FrameSink): void {
    if (!this.state.finished && !this.state.failed) {
      this.state.failed = true;
      emit(errorFrameFor(new LLMStreamError('LLM stream ended before the response completed'), this.deps.secrets));
    }
    emit(this.metric('processing'));
    this.tracker.open = false;
    emit(new LLMFullResponseEndFrame());
  }

  private metric(kind: 'ttfb' | 'processing'): MetricsFrame {
    const value = (this.deps.scheduler.now() - this.startedAt) / 1000;
    return new MetricsFrame({ data: [{ kind, processor: this.deps.processor, model: this.model, value }] });
  }
}

function hasTimeouts(deps: ResponseTurnDeps): boolean {
  return deps.completionTimeoutMs !== undefined || deps.stallTimeoutMs !== undefined;
}

/** The first-output deadline and the between-events stall limit, each only when configured; every timeout is reported. */
function withTimeouts(deps: ResponseTurnDeps) {
  const { completionTimeoutMs, stallTimeoutMs, scheduler } = deps;
  return (events$: Observable<ResponseStreamEvent>): Observable<ResponseStreamEvent> =>
    events$.pipe(
      completionTimeoutMs === undefined
        ? identity
        : timeoutUntilFirst({ ms: completionTimeoutMs, scheduler, isFirst: isOutputEvent, error: () => new LLMTimeoutError() }),
      stallTimeoutMs === undefined
        ? identity
        : timeout({ each: stallTimeoutMs, scheduler, with: () => throwError(() => new LLMTimeoutError(`LLM completion timeout: no event for ${stallTimeoutMs} ms`)) }),
      tap({ error: (error: unknown) => error instanceof LLMTimeoutError && deps.onTimeout?.() }),
    );
}
