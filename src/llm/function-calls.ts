import {
  catchError,
  concat,
  defer,
  EMPTY,
  from,
  isObservable,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  take,
  timeout,
  type ObservableInput,
  type SchedulerLike,
} from 'rxjs';
import type { z } from 'zod';
import type { LLMContext } from '../context/llm-context';
import type { ReasoningItemData } from '../context/messages';
import { isZodTool, ToolsSchema, type ToolDefinition } from '../context/tools';
import { FunctionCallError } from '../errors';
import {
  ErrorFrame,
  FunctionCallInProgressFrame,
  FunctionCallResultFrame,
  FunctionCallsStartedFrame,
  type Frame,
  type FunctionCallFromLLM,
} from '../frames';
import type { FunctionCallHandler, FunctionCallResultProperties, RegisteredFunction, FunctionCallParams } from './function-registry';
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
}

/** One finished call: what goes back to the model. */
interface CallOutcome {
  readonly call: PreparedCall;
  /** The text sent as `function_call_output`. */
  readonly output: string;
  /** Whether this call asks for the model to run again. */
  readonly runLlm: boolean;
}

/** A call with its arguments parsed (or the reason they could not be). */
interface PreparedCall extends FunctionCallFromLLM {
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
 */
export function runFunctionCalls<S>(
  streamed: readonly StreamedFunctionCall[],
  context: LLMContext,
  deps: FunctionCallDeps<S>,
  done: (outcome: FunctionCallsOutcome) => void,
  reasoning: readonly ReasoningItemData[] = [],
): Observable<Frame> {
  return defer(() => {
    const calls = streamed.map((call) => prepareCall(call, context));
    const announced = calls.map(({ functionName, toolCallId, arguments: args }) => ({ functionName, toolCallId, arguments: args }));
    deps.onStarted(announced);
    const outcomes: CallOutcome[] = [];
    const perCall = calls.map((call) => runOneCall(call, context, deps, (outcome) => outcomes.push(outcome)));
    return concat(
      of(new FunctionCallsStartedFrame({ functionCalls: announced })),
      deps.runInParallel ? merge(...perCall) : concat(...perCall),
      defer(() => {
        appendToContext(context, calls, outcomes, reasoning, deps.redact);
        done({ runLlm: outcomes.some((outcome) => outcome.runLlm) });
        return EMPTY;
      }),
    );
  });
}

function runOneCall<S>(call: PreparedCall, context: LLMContext, deps: FunctionCallDeps<S>, record: (outcome: CallOutcome) => void): Observable<Frame> {
  const fields = { functionName: call.functionName, toolCallId: call.toolCallId, arguments: call.arguments };
  // A failed call: the model reads the reason as the call's output, the pipeline gets an ErrorFrame.
  const fail = (reason: string): Frame[] => {
    record({ call, output: JSON.stringify({ error: reason }), runLlm: true });
    return [deps.redactFrame(errorFrame(call, reason)), deps.redactFrame(new FunctionCallResultFrame({ ...fields, result: { error: reason } }))];
  };
  const registered = deps.lookup(call.functionName);
  if (call.problem !== undefined) return from(fail(call.problem));
  if (!registered) return from(fail(`No handler is registered for function "${call.functionName}"`));
  const timeoutMs = registered.options.timeoutMs ?? deps.timeoutMs;
  const answer$ = handlerAnswer(registered.handler, { ...fields, context, llm: deps.llm });
  return concat(
    of(new FunctionCallInProgressFrame(fields)),
    (timeoutMs === undefined ? answer$ : answer$.pipe(timeout({ first: timeoutMs, scheduler: deps.scheduler }))).pipe(
      map(({ result, properties }): Frame[] => {
        const output = serializeResult(result);
        if (output === undefined) return fail(`The result of function "${call.functionName}" cannot be serialised to JSON`);
        record({ call, output, runLlm: properties?.runLlm !== false });
        return [deps.redactFrame(new FunctionCallResultFrame({ ...fields, result }))];
      }),
      catchError((error: unknown) =>
        of(
          fail(
            error instanceof Error && error.name === 'TimeoutError'
              ? `Function "${call.functionName}" did not answer within ${timeoutMs} ms`
              : `Function "${call.functionName}" failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
      ),
      mergeMap((frames) => frames),
    ),
  );
}

/** The handler's first answer, by return value or by `resultCallback`; unsubscribing aborts its signal. */
function handlerAnswer<S>(
  handler: FunctionCallHandler<S>,
  params: Omit<FunctionCallParams<S>, 'signal' | 'resultCallback'>,
): Observable<{ result: unknown; properties: FunctionCallResultProperties | undefined }> {
  return new Observable<{ result: unknown; properties: FunctionCallResultProperties | undefined }>((subscriber) => {
    // Aborted when the turn stops waiting (interruption, timeout, unsubscribe); never once the answer arrived.
    const controller = new AbortController();
    // Whether the handler answered: the first answer wins, and an answered call is not aborted.
    let answered = false;
    const answer = (result: unknown, properties?: FunctionCallResultProperties) => {
      if (answered) return;
      answered = true;
      subscriber.next({ result, properties });
      subscriber.complete();
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
      if (!answered) controller.abort();
    };
  });
}

function prepareCall(call: StreamedFunctionCall, context: LLMContext): PreparedCall {
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
  const schema = zodSchemaFor(call.name, context);
  if (!schema) return { ...base, arguments: parsed as Record<string, unknown>, problem: undefined };
  const checked = schema.safeParse(parsed);
  if (checked.success) return { ...base, arguments: checked.data as Record<string, unknown>, problem: undefined };
  const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return { ...base, arguments: parsed as Record<string, unknown>, problem: `Invalid arguments for function "${call.name}": ${issues}` };
}

function zodSchemaFor(name: string, context: LLMContext): z.ZodObject | undefined {
  const tools = context.tools;
  const list: readonly ToolDefinition[] = tools instanceof ToolsSchema ? tools.standardTools : (tools ?? []);
  const tool = list.find((candidate) => isZodTool(candidate) && candidate.name === name);
  return tool && isZodTool(tool) ? tool.parameters : undefined;
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
