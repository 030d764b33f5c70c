import type { LLMContext } from '../../context/llm-context';
import { checkWith, isPromise, type AnySchema, type Checked } from '../../context/schemas';
import { isSchemaTool, ToolsSchema, type SchemaFunctionTool } from '../../context/tools';
import type { FunctionCallFromLLM } from '../../frames';
import type { StreamedFunctionCall } from '../response-record';

/** A call with its arguments parsed (or the reason they could not be). */
export interface PreparedCall extends FunctionCallFromLLM {
  /** The raw arguments JSON, as the model sent it (kept for the context). */
  readonly rawArguments: string;
  /** Why the handler must not run (bad JSON, schema mismatch), if so. */
  readonly problem: string | undefined;
}

/** A streamed call with its arguments parsed and, when its tool has a schema, checked (asynchronously for some schemas). */
export function prepareCall(call: StreamedFunctionCall, context: LLMContext): PreparedCall | Promise<PreparedCall> {
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
