import { ContextValidationError } from '../errors/errors';
import { jsonSchemaOf, unusableSchema, type JsonSchema } from './schemas';
import { FunctionSchema, HOSTED_TOOL_TYPES, isHostedTool, isSchemaTool, ToolsSchema, type ContextTools, type HostedTool, type SchemaFunctionTool, type ToolChoice, type ToolDefinition } from './tools';

/** One function tool in the library's own shape, whichever form it was given in: what every provider maps from. */
export interface FunctionToolSpec {
  readonly type: 'function';
  /** The function's name (1 to 64 letters, digits, `_` or `-`). */
  readonly name: string;
  /** What it does, for the model, when given. */
  readonly description: string | undefined;
  /** The arguments' JSON Schema (an object schema). */
  readonly parameters: JsonSchema;
  /** Whether the API should enforce the schema strictly. */
  readonly strict: boolean;
}

/** A context's tool as providers read it: a function tool in the canonical shape, or a hosted tool as given. */
export type ToolSpec = FunctionToolSpec | HostedTool;

/** The tool choice as providers read it: a mode, or the one function the model must call. */
export type ToolChoiceSpec = 'auto' | 'none' | 'required' | { readonly type: 'function'; readonly name: string };

/**
 * The context's tools, in any supported shape, as tool specs (pure): function tools checked and converted (a schema's
 * input side as JSON Schema), hosted tools checked by type and kept as given. Throws `ContextValidationError` naming the tool.
 */
export function toolSpecsOf(tools: ContextTools): ToolSpec[] {
  const list: readonly ToolDefinition[] = tools instanceof ToolsSchema ? tools.standardTools : tools;
  if (!Array.isArray(list)) throw new ContextValidationError('tools', 'expected a ToolsSchema or an array of tools');
  return list.map((tool, index) => toolSpecOf(tool, `tools[${index}]`));
}

/** A tool choice in chat or Responses shape, as a spec (pure). */
export function toolChoiceSpecOf(choice: ToolChoice): ToolChoiceSpec {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (choice && typeof choice === 'object' && choice.type === 'function') {
    const name = 'function' in choice ? choice.function?.name : choice.name;
    if (typeof name === 'string' && name) return { type: 'function', name };
  }
  throw new ContextValidationError('toolChoice', "expected 'auto', 'none', 'required' or a function choice with a name");
}

function toolSpecOf(tool: ToolDefinition, path: string): ToolSpec {
  if (tool instanceof FunctionSchema) return functionSpec(tool.name, tool.description, tool.toJsonSchema(), undefined, path);
  if (tool === null || typeof tool !== 'object') throw new ContextValidationError(path, 'a tool must be an object');
  if (isHostedTool(tool)) {
    if (!(HOSTED_TOOL_TYPES as readonly string[]).includes(tool.type)) {
      throw new ContextValidationError(`${path}.type`, `unknown tool type ${JSON.stringify(tool.type)}; allowed: function, ${HOSTED_TOOL_TYPES.join(', ')}`);
    }
    if (tool.type === 'custom' && (typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name))) {
      throw new ContextValidationError(`${path}.name`, 'a custom tool needs a name of 1 to 64 letters, digits, _ or -');
    }
    return tool;
  }
  if (isSchemaTool(tool)) return functionSpec(tool.name, tool.description, parametersOf(tool, path), tool.strict, path);
  const unsupported = unusableSchema((tool as { parameters?: unknown }).parameters);
  if (unsupported) throw new ContextValidationError(`${path}.parameters`, unsupported);
  if ('function' in tool && tool.function && typeof tool.function === 'object') {
    const fn = tool.function;
    return functionSpec(fn.name, fn.description, fn.parameters, fn.strict, path);
  }
  if ('name' in tool) return functionSpec(tool.name, tool.description ?? undefined, tool.parameters ?? undefined, tool.strict ?? undefined, path);
  throw new ContextValidationError(path, "expected a FunctionSchema, { type: 'function', function: {...} } or { type: 'function', name, parameters }");
}

function functionSpec(name: unknown, description: unknown, parameters: unknown, strict: boolean | undefined, path: string): FunctionToolSpec {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw new ContextValidationError(`${path}.name`, 'a function name of 1 to 64 letters, digits, _ or -');
  }
  const schema = parameters ?? { type: 'object', properties: {} };
  if (typeof schema !== 'object' || Array.isArray(schema) || (schema as JsonSchema).type !== 'object') {
    throw new ContextValidationError(`${path}.parameters`, 'a JSON Schema object with type "object"');
  }
  return { type: 'function', name, description: typeof description === 'string' && description ? description : undefined, parameters: schema as JsonSchema, strict: strict ?? false };
}

/** A schema tool's parameters as JSON Schema (what the model may send: the schema's input side). */
function parametersOf(tool: SchemaFunctionTool, path: string): JsonSchema {
  try {
    return jsonSchemaOf(tool.parameters, 'input');
  } catch (error) {
    throw new ContextValidationError(`${path}.parameters`, `the schema cannot be expressed as JSON Schema (${(error as Error).message})`);
  }
}
