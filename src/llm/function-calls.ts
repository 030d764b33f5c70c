import { catchError, concat, concatMap, defer, EMPTY, finalize, from, isObservable, merge, mergeMap, Observable, of, take, tap, type ObservableInput, type SchedulerLike } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import type { ReasoningItemData } from '../context/messages';
import { checkWith, isPromise, type AnySchema, type Checked } from '../context/schemas';
import { isSchemaTool, ToolsSchema, type SchemaFunctionTool } from '../context/tools';
import { FunctionCallError } from '../errors';
import {
  ErrorFrame,
  FunctionCallCancelFrame,
  FunctionCallInProgressFrame,
  FunctionCallResultFrame,
  FunctionCallsStartedFrame,
  type Frame,
  type FunctionCallFromLLM,
} from '../frames';
import type { FunctionCallHandler, FunctionCallResultProperties, RegisteredFunction, FunctionCallParams } from './function-registry';
import type { CallLedger } from './call-ledger';
import { recordFailure, startToolSpan, type SpanLike, type TracerLike } from './tracing';
import type { StreamedFunctionCall } from './response-state';

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
}

/** One finished call: what goes back to the model. */
export interface CallOutcome {
  readonly call: PreparedCall;
  /** The text sent as `function_call_output`. */
  readonly output: string;
  /** Whether this call asks for the model to run again. */
  readonly runLlm: boolean;
  /** Whether its handler outlives an interruption. */
  readonly survives: boolean;
}

/** A call with its arguments parsed (or the reason they could not be). */
export interface PreparedCall extends FunctionCallFromLLM {
  /** The raw arguments JSON, as the model sent it (kept for the context). */
  readonly rawArguments: string;
  /** Why the handler must not run (bad JSON, schema mismatch), if so. */
  readonly problem: string | undefined;
}

/** Result of running all calls of a response. */
export interface FunctionCallsOutcome {
  /** Whether the model should run again with the results. */
  readonly runLlm: boolean;
}

/**
 * Runs the calls a response asked for: announces them, runs each handler (in parallel or in sequence), emits
 * in-progress and result frames, then appends the assistant's calls and their outputs to the context in one step
 * (so an interrupted turn never leaves a call without its output). Emits `outcome` last, through `done`.
 * A handler registered with `cancelOnInterruption: false` runs under the pipeline's `ledger`: if the turn is cancelled,
 * it goes on, and its call and output land in the context together when it answers (then the model runs again, unless
 * it said `runLlm: false`).
 */
export function runFunctionCalls<S>(
  streamed: readonly StreamedFunctionCall[],
  context: LLMContext,
  deps: FunctionCallDeps<S>,
  ledger: CallLedger,
  done: (outcome: FunctionCallsOutcome) => void,
  reasoning: readonly ReasoningItemData[] = [],
  responseSpan?: SpanLike,
): Observable<Frame> {
  // Arguments checked by an asynchronous schema are awaited before anything is announced.
  return defer(() => {
    const prepared = streamed.map((call) => prepareCall(call, context));
    return prepared.some(isPromise) ? from(Promise.all(prepared)).pipe(concatMap(runPrepared)) : runPrepared(prepared as PreparedCall[]);
  });

  function runPrepared(calls: readonly PreparedCall[]): Observable<Frame> {
    const announced = calls.map(({ functionName, toolCallId, arguments: args }) => ({ functionName, toolCallId, arguments: args }));
    ledger.announce(announced, (call) => deps.lookup(call.functionName)?.options.cancelOnInterruption === false);
    deps.onStarted(announced);
    const outcomes: CallOutcome[] = [];
    // Whether the group's calls and outputs went into the context: if the turn is cancelled before, surviving calls
    // that already answered are written on their own (the others never reach the context: no call without its output).
    let appended = false;
    const perCall = calls.map((call) => traced(runOneCall(call, context, deps, ledger, (outcome) => outcomes.push(outcome)), call, deps.tracer, responseSpan));
    return concat(
      of(new FunctionCallsStartedFrame({ functionCalls: announced })),
      deps.runInParallel ? merge(...perCall) : concat(...perCall),
      defer(() => {
        appended = true;
        appendToContext(context, calls, outcomes, reasoning, deps.redact);
        done({ runLlm: outcomes.some((outcome) => outcome.runLlm) });
        return EMPTY;
      }),
    ).pipe(
      finalize(() => {
        if (appended) return;
        const answered = outcomes.filter((outcome) => outcome.survives);
        if (answered.length === 0) return;
        appendToContext(context, answered.map((outcome) => outcome.call), answered, [], deps.redact);
        if (answered.some((outcome) => outcome.runLlm)) ledger.runLater(context);
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

/** A handler's answer: a result, whether it is the final one, and how it affects the turn. */
interface Answer {
  readonly result: unknown;
  readonly properties: FunctionCallResultProperties | undefined;
  readonly final: boolean;
}

/** The error of a handler that did not give its final answer in time. */
class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
}

function runOneCall<S>(call: PreparedCall, context: LLMContext, deps: FunctionCallDeps<S>, ledger: CallLedger, record: (outcome: CallOutcome) => void): Observable<Frame> {
  const fields = { functionName: call.functionName, toolCallId: call.toolCallId, arguments: call.arguments };
  const registered = deps.lookup(call.functionName);
  const survives = registered?.options.cancelOnInterruption === false;
  const timeoutMs = registered?.options.timeoutMs ?? deps.timeoutMs;
  // A failed call: the model reads the reason as the call's output, the pipeline gets an ErrorFrame.
  const fail = (reason: string, to: (outcome: CallOutcome) => void): Frame[] => {
    ledger.settle(call.toolCallId);
    to({ call, output: JSON.stringify({ error: reason }), runLlm: true, survives });
    return [deps.redactFrame(errorFrame(call, reason)), deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: { error: reason } }))];
  };
  const failure = (error: unknown, to: (outcome: CallOutcome) => void): Frame[] =>
    error instanceof CallTimeout
      ? [new FunctionCallCancelFrame({ functionName: call.functionName, toolCallId: call.toolCallId }), ...fail(`Function "${call.functionName}" did not answer within ${timeoutMs} ms`, to)]
      : fail(`Function "${call.functionName}" failed: ${error instanceof Error ? error.message : String(error)}`, to);
  // An answer as frames: progress goes out as it is; the final one is recorded for the context.
  const framesOf = (answer: Answer, to: (outcome: CallOutcome) => void): Frame[] => {
    if (!answer.final) return [deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: answer.result, final: false }))];
    const output = serializeResult(answer.result);
    if (output === undefined) return fail(`The result of function "${call.functionName}" cannot be serialised to JSON`, to);
    ledger.settle(call.toolCallId);
    to({ call, output, runLlm: answer.properties?.runLlm !== false, survives });
    return [deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: answer.result }))];
  };
  // After its turn is gone, a surviving call's answer is the pipeline's: its frames and outcome go to `deps.late`.
  const late = (make: (to: (outcome: CallOutcome) => void) => Frame[]) => {
    let outcome: CallOutcome | undefined;
    const frames = make((recorded) => (outcome = recorded));
    ledger.late(frames, outcome && { ...outcome, context });
  };
  if (call.problem !== undefined) return from(fail(call.problem, record));
  if (!registered) return from(fail(`No handler is registered for function "${call.functionName}"`, record));
  return defer(() => {
    ledger.started(call.toolCallId);
    const started$ = handlerAnswers(registered.handler, { ...fields, context, llm: deps.llm }, timeoutMs, deps.scheduler);
    const answers$ = survives
      ? ledger.keepRunning(
          started$,
          (answer) => late((to) => framesOf(answer, to)),
          (error) => late((to) => failure(error, to)),
        )
      : started$;
    return concat(
      of(new FunctionCallInProgressFrame(fields)),
      answers$.pipe(
        mergeMap((answer) => framesOf(answer, record)),
        catchError((error: unknown) => from(failure(error, record))),
      ),
    );
  });
}

/**
 * The handler's answers, by return value (its first value counts, as the final answer) or by `resultCallback` (final,
 * or progress with `isFinal: false`). The deadline, when given, holds until the final answer: progress does not disarm
 * it (Pipecat #5481). Unsubscribing before the final answer aborts the handler's signal.
 */
function handlerAnswers<S>(
  handler: FunctionCallHandler<S>,
  params: Omit<FunctionCallParams<S>, 'signal' | 'resultCallback'>,
  timeoutMs: number | undefined,
  scheduler: SchedulerLike,
): Observable<Answer> {
  return new Observable<Answer>((subscriber) => {
    // Aborted when the turn stops waiting (interruption, timeout, unsubscribe); never once the final answer arrived.
    const controller = new AbortController();
    // Whether the final answer arrived: later answers are ignored, and the call is not aborted.
    let answered = false;
    const deadline = timeoutMs === undefined ? undefined : scheduler.schedule(() => subscriber.error(new CallTimeout()), timeoutMs);
    const answer = (result: unknown, properties?: FunctionCallResultProperties) => {
      if (answered) return;
      const final = properties?.isFinal !== false;
      if (final) {
        answered = true;
        deadline?.unsubscribe();
      }
      subscriber.next({ result, properties, final });
      if (final) subscriber.complete();
    };
    try {
      const returned = handler({ ...params, signal: controller.signal, resultCallback: answer });
      if (returned !== undefined) {
        const returned$ = isObservable(returned) ? returned.pipe(take(1)) : from(Promise.resolve(returned) as ObservableInput<unknown>);
        subscriber.add(
          returned$.subscribe({
            next: (value) => value !== undefined && answer(value),
            error: (error: unknown) => subscriber.error(error),
          }),
        );
      }
    } catch (error) {
      subscriber.error(error);
    }
    return () => {
      deadline?.unsubscribe();
      if (!answered) controller.abort();
    };
  });
}

function prepareCall(call: StreamedFunctionCall, context: LLMContext): PreparedCall | Promise<PreparedCall> {
  const base = { functionName: call.name, toolCallId: call.callId, rawArguments: call.arguments || '{}' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(base.rawArguments);
  } catch {
    return { ...base, arguments: {}, problem: `The arguments of function "${call.name}" are not valid JSON` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ...base, arguments: {}, problem: `The arguments of function "${call.name}" must be a JSON object` };
  }
  const schema = schemaFor(call.name, context);
  if (!schema) return { ...base, arguments: parsed as Record<string, unknown>, problem: undefined };
  const toPrepared = (checked: Checked<Record<string, unknown>>): PreparedCall => {
    if (checked.ok) return { ...base, arguments: checked.value, problem: undefined };
    // A schema that throws (or rejects) is the tool's problem, reported like a mismatch: the turn goes on.
    const problem =
      'failure' in checked
        ? `The schema of function "${call.name}" failed while checking its arguments: ${checked.failure}`
        : `Invalid arguments for function "${call.name}": ${checked.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
    return { ...base, arguments: parsed as Record<string, unknown>, problem };
  };
  const checked = checkWith<Record<string, unknown>>(schema, parsed);
  return isPromise(checked) ? checked.then(toPrepared) : toPrepared(checked);
}

/** The schema of the context's tool of that name, when it was given with one (zod, or Standard JSON Schema). */
function schemaFor(name: string, context: LLMContext): AnySchema | undefined {
  const tools = context.tools;
  const list: readonly unknown[] = tools instanceof ToolsSchema ? tools.standardTools : (tools ?? []);
  const tool = list.find((candidate): candidate is SchemaFunctionTool => isSchemaTool(candidate) && candidate.name === name);
  return tool?.parameters;
}

function appendToContext(
  context: LLMContext,
  calls: readonly PreparedCall[],
  outcomes: readonly CallOutcome[],
  reasoning: readonly ReasoningItemData[],
  redact: (text: string) => string,
): void {
  context.addMessage({
    role: 'assistant',
    content: null,
    ...(reasoning.length > 0 ? { reasoning: [...reasoning] } : {}),
    tool_calls: calls.map((call) => ({ id: call.toolCallId, type: 'function', function: { name: call.functionName, arguments: call.rawArguments } })),
  });
  for (const call of calls) {
    const outcome = outcomes.find((candidate) => candidate.call === call);
    context.addMessage({ role: 'tool', tool_call_id: call.toolCallId, content: redact(outcome?.output ?? JSON.stringify({ error: 'no result' })) });
  }
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

function errorFrame(call: PreparedCall, message: string): ErrorFrame {
  return new ErrorFrame({ error: message, exception: new FunctionCallError(message, call.functionName, call.toolCallId) });
}

/** A call that answered after its turn was gone, with the conversation it belongs to. */
export interface LateOutcome extends CallOutcome {
  readonly context: LLMContext;
}

/** Writes a surviving call's late answer into its context: its call and output together, once (the ledger settled it). */
export function writeLateOutcome(outcome: LateOutcome, redact: (text: string) => string): void {
  appendToContext(outcome.context, [outcome.call], [outcome], [], redact);
}
