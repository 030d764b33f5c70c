import type { LLMContext } from '../../context/llm-context';
import { checkWith, isPromise, type AnySchema, type Checked } from '../../context/schemas';
import { toolSpecsOf, type FunctionToolSpec, type ToolSpec } from '../../context/function-tools';
import { isSchemaTool, ToolsSchema, type SchemaFunctionTool } from '../../context/tools';
import type { FunctionCallFromLLM } from '../../frames';
import type { StreamedFunctionCall } from '../response-record';

/** A call with its arguments parsed (or the reason they could not be). */
export interface PreparedCall extends FunctionCallFromLLM {
  /** The raw arguments JSON, as the model sent it (kept for the context). */
  readonly rawArguments: string;
  /** Why the handler must not run (bad JSON, schema mismatch), if so. */
  readonly problem: string | undefined;
  /** Whether it is a custom tool's call (its raw input is `arguments.input`). */
  readonly custom?: boolean | undefined;
  /** The output item that made the call, when a program did (sent back with the call). */
  readonly caller?: Readonly<Record<string, unknown>> | undefined;
}

/** A streamed call with its arguments parsed and, when its tool has a schema, checked (asynchronously for some schemas). */
export function prepareCall(call: StreamedFunctionCall, context: LLMContext): PreparedCall | Promise<PreparedCall> {
  // A custom tool's input is free text, handed over as it is.
  if (call.custom) return { functionName: call.name, toolCallId: call.callId, rawArguments: call.arguments, arguments: { input: call.arguments }, problem: undefined, custom: true };
  const base = { functionName: call.name, toolCallId: call.callId, rawArguments: call.arguments || '{}', ...(call.caller ? { caller: call.caller } : {}) };
  // No arguments at all (after every source the provider had) is `{}` only for a tool that takes none.
  if (!call.arguments && !takesNoParameters(call.name, context)) {
    return { ...base, arguments: {}, problem: `The model sent no arguments for function "${call.name}", which takes parameters` };
  }
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

/** Whether the context declares a function of that name whose parameters are empty (no properties, nothing required). */
function takesNoParameters(name: string, context: LLMContext): boolean {
  if (context.tools === undefined) return false;
  let specs: readonly ToolSpec[];
  try {
    specs = toolSpecsOf(context.tools);
  } catch {
    return false;
  }
  const spec = specs.find((candidate): candidate is FunctionToolSpec => candidate.type === 'function' && candidate.name === name);
  if (!spec) return false;
  const { properties, required } = spec.parameters as { readonly properties?: object; readonly required?: readonly unknown[] };
  return (properties === undefined || Object.keys(properties).length === 0) && (required === undefined || required.length === 0);
}

/** The schema of the context's tool of that name, when it was given with one (zod, or Standard JSON Schema). */
function schemaFor(name: string, context: LLMContext): AnySchema | undefined {
  const tools = context.tools;
  const list: readonly unknown[] = tools instanceof ToolsSchema ? tools.standardTools : (tools ?? []);
  const tool = list.find((candidate): candidate is SchemaFunctionTool => isSchemaTool(candidate) && candidate.name === name);
  return tool?.parameters;
}
