import type { FunctionTool, ResponseCreateParamsBase, Tool } from 'openai/resources/responses/responses';
import { ContextValidationError } from '../../errors/errors';
import { jsonSchemaOf, unusableSchema } from '../../context/schemas';
import { FunctionSchema, HOSTED_TOOL_TYPES, isHostedTool, isSchemaTool, ToolsSchema } from '../../context/tools';
import type { ContextTools, JsonSchema, SchemaFunctionTool, ToolChoice, ToolDefinition } from '../../context/tools';

/** Converts the context's tools, in any supported shape, to Responses tools (pure): function tools converted, hosted tools as given. */
export function toResponsesTools(tools: ContextTools): Tool[] {
  const list: readonly ToolDefinition[] = tools instanceof ToolsSchema ? tools.standardTools : tools;
  if (!Array.isArray(list)) throw new ContextValidationError('tools', 'expected a ToolsSchema or an array of tools');
  return list.map((tool, index) => toResponsesTool(tool, `tools[${index}]`));
}

function toResponsesTool(tool: ToolDefinition, path: string): Tool {
  if (tool instanceof FunctionSchema) return functionTool(tool.name, tool.description, tool.toJsonSchema(), undefined, path);
  if (tool === null || typeof tool !== 'object') throw new ContextValidationError(path, 'a tool must be an object');
  if (isHostedTool(tool)) {
    if (!(HOSTED_TOOL_TYPES as readonly string[]).includes(tool.type)) {
      throw new ContextValidationError(`${path}.type`, `unknown tool type ${JSON.stringify(tool.type)}; allowed: function, ${HOSTED_TOOL_TYPES.join(', ')}`);
    }
    return tool as unknown as Tool;
  }
  if (isSchemaTool(tool)) return functionTool(tool.name, tool.description, parametersOf(tool, path), tool.strict, path);
  const unsupported = unusableSchema((tool as { parameters?: unknown }).parameters);
  if (unsupported) throw new ContextValidationError(`${path}.parameters`, unsupported);
  if ('function' in tool && tool.function && typeof tool.function === 'object') {
    const fn = tool.function;
    return functionTool(fn.name, fn.description, fn.parameters, fn.strict, path);
  }
  if ('name' in tool) return functionTool(tool.name, tool.description ?? undefined, tool.parameters ?? undefined, tool.strict ?? undefined, path);
  throw new ContextValidationError(path, "expected a FunctionSchema, { type: 'function', function: {...} } or { type: 'function', name, parameters }");
}

function functionTool(name: unknown, description: unknown, parameters: unknown, strict: boolean | undefined, path: string): FunctionTool {
  if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw new ContextValidationError(`${path}.name`, 'a function name of 1 to 64 letters, digits, _ or -');
  }
  const schema = parameters ?? { type: 'object', properties: {} };
  if (typeof schema !== 'object' || Array.isArray(schema) || (schema as JsonSchema).type !== 'object') {
    throw new ContextValidationError(`${path}.parameters`, 'a JSON Schema object with type "object"');
  }
  const tool: FunctionTool = { type: 'function', name, parameters: schema as JsonSchema, strict: strict ?? false };
  if (typeof description === 'string' && description) tool.description = description;
  return tool;
}

/** A schema tool's parameters as JSON Schema (what the model may send: the schema's input side). */
function parametersOf(tool: SchemaFunctionTool, path: string): JsonSchema {
  try {
    return jsonSchemaOf(tool.parameters, 'input');
  } catch (error) {
    throw new ContextValidationError(`${path}.parameters`, `the schema cannot be expressed as JSON Schema (${(error as Error).message})`);
  }
}

/** Converts a tool choice in chat or Responses shape to the Responses shape (pure). */
export function toResponsesToolChoice(choice: ToolChoice): NonNullable<ResponseCreateParamsBase['tool_choice']> {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (choice && typeof choice === 'object' && choice.type === 'function') {
    const name = 'function' in choice ? choice.function?.name : choice.name;
    if (typeof name === 'string' && name) return { type: 'function', name };
  }
  throw new ContextValidationError('toolChoice', "expected 'auto', 'none', 'required' or a function choice with a name");
}
