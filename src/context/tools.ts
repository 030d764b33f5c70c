import { z } from 'zod/v4';
import { shareClasses } from '../runtime/shared-classes';

/** A JSON Schema object (the `parameters` of a function tool). */
export type JsonSchema = Record<string, unknown>;

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

/** A tool whose arguments are a zod object: converted to JSON Schema, and used to validate the model's arguments. */
export interface ZodFunctionTool {
  /** The function's name. */
  readonly name: string;
  /** What it does. */
  readonly description?: string;
  /** The arguments' schema. */
  readonly parameters: z.ZodObject;
  /** Whether the API enforces the schema strictly. */
  readonly strict?: boolean;
}

/** The tools the API runs itself, by their Responses `type`. */
export const HOSTED_TOOL_TYPES = ['web_search', 'web_search_preview', 'file_search', 'code_interpreter', 'mcp', 'image_generation', 'computer_use_preview', 'local_shell'] as const;

/**
 * A tool the API runs itself, given in the Responses shape and sent as it is: `{ type: 'web_search' }`,
 * `{ type: 'file_search', vector_store_ids }`, `{ type: 'code_interpreter', container }`, `{ type: 'mcp', server_label, … }`.
 */
export interface HostedTool {
  /** Which hosted tool. */
  readonly type: (typeof HOSTED_TOOL_TYPES)[number];
  /** Its options, as the API names them. */
  readonly [option: string]: unknown;
}

/** Any way to describe one tool. */
export type ToolDefinition = FunctionSchema | ChatFunctionTool | ResponsesFunctionTool | ZodFunctionTool | HostedTool;

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
 * Whether a tool is given in the zod form. Recognised by zod 4's internals (`_zod`), not `instanceof`: the app's zod
 * (zod 4, or zod 3.25+ through `zod/v4`) may be another copy than the one this library resolves.
 */
export function isZodTool(tool: unknown): tool is ZodFunctionTool {
  if (typeof tool !== 'object' || tool === null || !('parameters' in tool)) return false;
  const parameters = (tool as { parameters: unknown }).parameters;
  return typeof parameters === 'object' && parameters !== null && '_zod' in parameters;
}

/**
 * Why a tool's `parameters` cannot be used, when it is a schema of a kind this library cannot turn into JSON Schema: a
 * zod 3 schema (use `zod/v4`, which zod 3.25+ ships, or zod 4) or another Standard Schema library's. Undefined otherwise.
 */
export function unsupportedSchema(parameters: unknown): string | undefined {
  if (typeof parameters !== 'object' || parameters === null || '_zod' in parameters) return undefined;
  const standard = (parameters as { '~standard'?: { vendor?: unknown } })['~standard'];
  if ('_def' in parameters || standard?.vendor === 'zod') {
    return "a zod 3 schema: import z from 'zod/v4' (zod 3.25 and later ship it) or upgrade to zod 4, so it can be sent as JSON Schema";
  }
  if (standard && typeof standard === 'object') {
    return `a ${String(standard.vendor)} schema (Standard Schema): only zod schemas are converted to JSON Schema; give the parameters as a JSON Schema object`;
  }
  return undefined;
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
