import { catchError, concat, defer, from, mergeMap, of, type Observable, type SchedulerLike } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import { FunctionCallError } from '../../errors/errors';
import { FunctionCallCancelFrame, FunctionCallInProgressFrame, FunctionCallResultFrame, type ErrorFrame, type Frame, type FunctionCallFromLLM } from '../../frames';
import { errorFrameFor } from '../../frames/error-frame-for';
import type { TracerLike } from '../tracing';
import type { CallLedger } from './call-ledger';
import type { CallOutcome } from './context-writes';
import type { RegisteredFunction } from './function-registry';
import { CallTimeout, handlerAnswers, type Answer } from './handler-answers';
import type { PreparedCall } from './prepare-call';

/** What running a response's calls needs from the service. */
export interface FunctionCallDeps<S> {
  /** The service, handed to handlers. */
  readonly llm: S;
  /** Looks up the handler for a name (falls back to the catch-all). */
  readonly lookup: (name: string) => RegisteredFunction<S> | undefined;
  /** Run calls at once (true) or one after another. */
  readonly runInParallel: boolean;
  /** Default per-call timeout in milliseconds, if any. */
  readonly timeoutMs: number | undefined;
  /** Timer of the timeouts. */
  readonly scheduler: SchedulerLike;
  /** Announces the calls (the `functionCallsStarted` event). */
  readonly onStarted: (calls: readonly FunctionCallFromLLM[]) => void;
  /** Cleans what goes back to the model of credentials (a handler's error can quote one). */
  readonly redact: (text: string) => string;
  /** Cleans a frame of credentials before it leaves (a handler's error or result can quote one). */
  readonly redactFrame: <F extends Frame>(frame: F) => F;
  /** Where each call's span goes, when tracing (a child of its response's). */
  readonly tracer?: TracerLike | undefined;
  /** What the model reads for a handler that threw or rejected (never the exception's text). */
  readonly errorMessage: (error: unknown, call: FunctionCallFromLLM) => string;
}

/** One call as it runs: its frames, and its outcome once they completed (undefined while none, or when cancelled). */
export interface CallRun {
  /** In progress, progress results, then the final result (or the failure); never errors. */
  readonly frames$: Observable<Frame>;
  /** What goes back to the model, once the call answered within its turn. */
  readonly outcome: () => CallOutcome | undefined;
}

/** Frames a step of a call makes, with the outcome it settled, if it did. */
interface Step {
  readonly frames: Frame[];
  readonly outcome?: CallOutcome;
}

/**
 * Runs one prepared call. A handler registered with `cancelOnInterruption: false` runs under the pipeline's `ledger`:
 * what it answers after its turn is gone goes to the ledger's late path (frames and outcome, written by the pipeline).
 */
export function runCall<S>(call: PreparedCall, context: LLMContext, deps: FunctionCallDeps<S>, ledger: CallLedger): CallRun {
  const fields = { functionName: call.functionName, toolCallId: call.toolCallId, arguments: call.arguments };
  const registered = deps.lookup(call.functionName);
  const survives = registered?.options.cancelOnInterruption === false;
  const timeoutMs = registered?.options.timeoutMs ?? deps.timeoutMs;
  // The outcome the call settled within its turn.
  let outcome: CallOutcome | undefined;
  // A failed call: the pipeline gets an ErrorFrame with the reason (and the handler's exception as its cause); the model
  // reads the reason as the call's output, or, for a handler's exception, what `errorMessage` says instead of its text.
  const fail = (reason: string, thrown?: { readonly error: unknown }): Step => {
    ledger.settle(call.toolCallId);
    const modelReads = thrown ? errorMessageFor(thrown.error) : reason;
    return {
      frames: [deps.redactFrame(errorFrame(call, reason, thrown)), deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: { error: modelReads } }))],
      outcome: { call, output: JSON.stringify({ error: modelReads }), runLlm: true, survives },
    };
  };
  // The app's wording for a handler's failure; its own failure falls back to ours (the model must read something).
  const errorMessageFor = (error: unknown): string => {
    try {
      const text = deps.errorMessage(error, fields);
      if (typeof text === 'string') return text;
    } catch {
      // The app's function failed too: the default wording stands in.
    }
    return defaultFunctionErrorMessage(error, fields);
  };
  const failure = (error: unknown): Step => {
    if (!(error instanceof CallTimeout)) return fail(`Function "${call.functionName}" failed: ${error instanceof Error ? error.message : String(error)}`, { error });
    const step = fail(`Function "${call.functionName}" did not answer within ${timeoutMs} ms (${registered?.options.timeoutMs === undefined ? 'functionCallTimeoutMs' : 'the timeoutMs it was registered with'})`);
    return { ...step, frames: [new FunctionCallCancelFrame({ functionName: call.functionName, toolCallId: call.toolCallId }), ...step.frames] };
  };
  // An answer as frames: progress goes out as it is; the final one settles the call.
  const answered = (answer: Answer): Step => {
    if (!answer.final) return { frames: [deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: answer.result, final: false }))] };
    const output = serializeResult(answer.result);
    if (output === undefined) return fail(`The result of function "${call.functionName}" cannot be serialised to JSON`);
    ledger.settle(call.toolCallId);
    return { frames: [deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: answer.result }))], outcome: { call, output, runLlm: answer.properties?.runLlm !== false, survives } };
  };
  // Within the turn, a step's outcome is the call's; after it, the ledger's late path takes frames and outcome.
  const within = (step: Step): Frame[] => {
    if (step.outcome) outcome = step.outcome;
    return step.frames;
  };
  const late = (step: Step) => ledger.late(step.frames, step.outcome && { ...step.outcome, context });
  if (call.problem !== undefined || !registered) {
    const step = fail(call.problem ?? `No handler is registered for function "${call.functionName}"`);
    return { frames$: defer(() => from(within(step))), outcome: () => outcome };
  }
  const frames$ = defer(() => {
    ledger.started(call.toolCallId);
    const started$ = handlerAnswers(registered.handler, { ...fields, context, llm: deps.llm }, timeoutMs, deps.scheduler);
    const answers$ = survives ? ledger.keepRunning(started$, (answer) => late(answered(answer)), (error) => late(failure(error))) : started$;
    return concat(
      of(new FunctionCallInProgressFrame(fields)),
      answers$.pipe(
        mergeMap((answer) => within(answered(answer))),
        catchError((error: unknown) => from(within(failure(error)))),
      ),
    );
  });
  return { frames$, outcome: () => outcome };
}

/** A result as the model reads it: strings as they are, anything else as JSON; undefined when it cannot be. */
function serializeResult(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  try {
    return JSON.stringify(result) ?? 'null';
  } catch {
    return undefined;
  }
}

function errorFrame(call: FunctionCallFromLLM, message: string, thrown?: { readonly error: unknown }): ErrorFrame {
  return errorFrameFor(new FunctionCallError(message, call.functionName, call.toolCallId, thrown && { cause: thrown.error }));
}

/** What the model reads for a failed handler by default (after Pipecat's wording): no exception text. */
export function defaultFunctionErrorMessage(_error: unknown, call: FunctionCallFromLLM): string {
  return `The function "${call.functionName}" failed and returned no result.`;
}
