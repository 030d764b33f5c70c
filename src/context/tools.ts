import type { z } from 'zod/v4';
import { shareClasses } from '../runtime/shared-classes';
import { isUsableSchema, type AnySchema, type JsonSchema } from './schemas';

export type { JsonSchema } from './schemas';

/** A function the model may call, described with JSON Schema properties (Pipecat's `FunctionSchema`). */
export class FunctionSchema {
  /** The function's name. */
  readonly name: string;
  /** What it does, for the model. */
  readonly description: string;
  /** JSON Schema of each parameter, by name. */
  readonly properties: Readonly<Record<string, JsonSchema>>;
  /** Names of the parameters the model must give. */
  readonly required: readonly string[];
  constructor(fields: { name: string; description?: string; properties?: Record<string, JsonSchema>; required?: string[] }) {
    this.name = fields.name;
    this.description = fields.description ?? '';
    this.properties = fields.properties ?? {};
    this.required = fields.required ?? [];
  }

  /** The whole parameters schema, as an object schema. */
  toJsonSchema(): JsonSchema {
    return { type: 'object', properties: { ...this.properties }, required: [...this.required] };
  }
}

/** A set of function tools (Pipecat's `ToolsSchema`). */
export class ToolsSchema {
  /** The function tools. */
  readonly standardTools: readonly FunctionSchema[];
  constructor(fields: { standardTools: readonly FunctionSchema[] }) {
    this.standardTools = fields.standardTools;
  }
}

/** A tool in the OpenAI Chat Completions shape, as people copy it from OpenAI's docs. */
export interface ChatFunctionTool {
  readonly type: 'function';
  /** The function. */
  readonly function: { readonly name: string; readonly description?: string; readonly parameters?: JsonSchema; readonly strict?: boolean };
}

/** A tool in the Responses API shape. */
export interface ResponsesFunctionTool {
  readonly type: 'function';
  /** The function's name. */
  readonly name: string;
  /** What it does. */
  readonly description?: string | null;
  /** JSON Schema of its arguments. */
  readonly parameters?: JsonSchema | null;
  /** Whether the API enforces the schema strictly (we send false when not given). */
  readonly strict?: boolean | null;
}

/**
 * A tool whose arguments are given by a schema (zod, or any Standard JSON Schema library: ArkType, Valibot through
 * `toStandardJsonSchema`): converted to JSON Schema for the API, and used to validate the model's arguments.
 */
export interface SchemaFunctionTool<S extends AnySchema = AnySchema> {
  /** The function's name. */
  readonly name: string;
  /** What it does. */
  readonly description?: string;
  /** The arguments' schema (an object schema). */
  readonly parameters: S;
  /** Whether the API enforces the schema strictly. */
  readonly strict?: boolean;
}

/** A tool whose arguments are a zod object (a `SchemaFunctionTool` with zod). */
export type ZodFunctionTool = SchemaFunctionTool<z.ZodObject>;

/** The tools the API runs itself, by their Responses `type`. */
export const HOSTED_TOOL_TYPES = [
  'web_search',
  'web_search_2025_08_26',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'file_search',
  'code_interpreter',
  'mcp',
  'image_generation',
  'computer',
  'computer_use_preview',
  'local_shell',
  'shell',
  'apply_patch',
  'tool_search',
  'namespace',
  'programmatic_tool_calling',
  'custom',
] as const;

/**
 * A tool other than a function, given in the Responses shape and sent as it is: one the API runs (`{ type: 'web_search' }`,
 * `{ type: 'mcp', server_label, … }`), one the app runs (`{ type: 'shell' }`, handled with `registerItemHandler`), or a
 * custom tool with free-form input (`{ type: 'custom', name, description, format? }`, handled with `registerFunction`).
 */
export interface HostedTool {
  /** Which hosted tool. */
  readonly type: (typeof HOSTED_TOOL_TYPES)[number];
  /** Its options, as the API names them. */
  readonly [option: string]: unknown;
}

/** Any way to describe one tool. */
export type ToolDefinition = FunctionSchema | ChatFunctionTool | ResponsesFunctionTool | SchemaFunctionTool | HostedTool;

/** Whether a tool is a hosted one (any `type` other than a function's; whether the API knows it is checked when it is sent). */
export function isHostedTool(tool: unknown): tool is HostedTool {
  return typeof tool === 'object' && tool !== null && !(tool instanceof FunctionSchema) && typeof (tool as { type?: unknown }).type === 'string' && (tool as { type: string }).type !== 'function';
}

/** The tools of a context: a `ToolsSchema` or a list in any supported shape. */
export type ContextTools = ToolsSchema | readonly ToolDefinition[];

/** Which tool the model may or must call (chat shape or Responses shape). */
export type ToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { readonly type: 'function'; readonly function: { readonly name: string } }
  | { readonly type: 'function'; readonly name: string };

/**
 * Whether a tool's parameters are a schema (zod, or Standard JSON Schema). Recognised by shape, not `instanceof`: the
 * app's schema library may be another copy than the one this library resolves.
 */
export function isSchemaTool(tool: unknown): tool is SchemaFunctionTool {
  return typeof tool === 'object' && tool !== null && 'parameters' in tool && isUsableSchema((tool as { parameters: unknown }).parameters);
}

/** The names of the function tools a context offers, in any accepted shape (hosted tools have none). */
export function toolNamesOf(tools: ContextTools | undefined): string[] {
  if (!tools) return [];
  const list: readonly unknown[] = tools instanceof ToolsSchema ? tools.standardTools : Array.isArray(tools) ? tools : [];
  return list.flatMap((tool) => {
    if (tool instanceof FunctionSchema) return [tool.name];
    if (tool === null || typeof tool !== 'object') return [];
    const named = tool as { name?: unknown; function?: { name?: unknown } };
    const name = named.function && typeof named.function === 'object' ? named.function.name : named.name;
    return typeof name === 'string' ? [name] : [];
  });
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ FunctionSchema, ToolsSchema });
