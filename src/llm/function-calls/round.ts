import { concat, concatMap, defer, EMPTY, finalize, from, merge, of, tap, type Observable } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import { isPromise } from '../../context/schemas';
import { FunctionCallsStartedFrame, type Frame } from '../../frames';
import type { StreamedFunctionCall } from '../response-record';
import { recordFailure, startToolSpan, type SpanLike, type TracerLike } from '../tracing';
import type { CallLedger } from './call-ledger';
import { appendCalls, type CallOutcome, type Said } from './context-writes';
import { prepareCall, type PreparedCall } from './prepare-call';
import { runCall, type FunctionCallDeps } from './run-call';

/** The calls of one response as they run: their frames, and once those completed, whether the model runs again. */
export interface FunctionCallRound {
  /** Started, then each call's frames (in parallel or in sequence); never errors. */
  readonly frames$: Observable<Frame>;
  /** Whether the handlers asked for the model to run again with their results (read once `frames$` completed). */
  readonly runLlm: () => boolean;
}

/**
 * Runs the calls a response asked for: announces them, runs each handler, then writes the assistant's calls and their
 * outputs into the context in one step (so an interrupted turn never leaves a call without its output). A handler that
 * survives interruption and already answered when the round is cancelled still gets its call and output written.
 */
export function runFunctionCalls<S>(
  streamed: readonly StreamedFunctionCall[],
  context: LLMContext,
  deps: FunctionCallDeps<S>,
  ledger: CallLedger,
  said: Said,
  responseSpan: SpanLike | undefined,
): FunctionCallRound {
  // Whether any call asked for the model to run again; set when the calls are written.
  let runLlm = false;
  // Arguments checked by an asynchronous schema are awaited before anything is announced.
  const frames$ = defer(() => {
    const prepared = streamed.map((call) => prepareCall(call, context));
    return prepared.some(isPromise) ? from(Promise.all(prepared)).pipe(concatMap(runPrepared)) : runPrepared(prepared as PreparedCall[]);
  });
  return { frames$, runLlm: () => runLlm };

  function runPrepared(calls: readonly PreparedCall[]): Observable<Frame> {
    const announced = calls.map(({ functionName, toolCallId, arguments: args }) => ({ functionName, toolCallId, arguments: args }));
    ledger.announce(announced, (call) => deps.lookup(call.functionName)?.options.cancelOnInterruption === false);
    deps.onStarted(announced);
    const runs = calls.map((call) => runCall(call, context, deps, ledger));
    const outcomes = () => runs.map((run) => run.outcome()).filter((outcome): outcome is CallOutcome => outcome !== undefined);
    // Whether the calls and outputs went into the context: if the round is cancelled before, surviving calls that
    // already answered are written on their own (the others never reach the context: no call without its output).
    let written = false;
    const perCall = runs.map((run, index) => traced(run.frames$, calls[index]!, deps.tracer, responseSpan));
    return concat(
      of(new FunctionCallsStartedFrame({ functionCalls: announced })),
      deps.runInParallel ? merge(...perCall) : concat(...perCall),
      defer(() => {
        written = true;
        const answered = outcomes();
        appendCalls(context, calls, answered, said, deps.redact);
        runLlm = answered.some((outcome) => outcome.runLlm);
        return EMPTY;
      }),
    ).pipe(
      finalize(() => {
        if (written) return;
        // Cancelled before the calls went in: what the user heard stays; calls go in only with their outputs.
        if (said.text) context.addMessage({ role: 'assistant', content: said.text });
        const survivors = outcomes().filter((outcome) => outcome.survives);
        if (survivors.length === 0) return;
        appendCalls(context, survivors.map((outcome) => outcome.call), survivors, { text: '', reasoning: [] }, deps.redact);
        if (survivors.some((outcome) => outcome.runLlm)) ledger.runLater(context);
      }),
    );
  }
}

/** A call's frames inside its span, when tracing: errors recorded, ended when the call ends or is cancelled. */
function traced(frames$: Observable<Frame>, call: PreparedCall, tracer: TracerLike | undefined, parent: SpanLike | undefined): Observable<Frame> {
  if (!tracer) return frames$;
  return defer(() => {
    const span = startToolSpan(tracer, call.functionName, call.toolCallId, parent);
    return frames$.pipe(
      tap((frame) => {
        if (frame.type === 'ErrorFrame' && frame.exception) recordFailure(span, frame.exception);
        if (frame.type === 'FunctionCallCancelFrame') span.setAttribute('rx_responses.cancelled', true);
      }),
      finalize(() => span.end()),
    );
  });
}
