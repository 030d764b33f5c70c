import type { AnySchema, SchemaOutput } from '../context/schemas';
import type { SchemaFunctionTool } from '../context/tools';
import type { FunctionCallParams, RegisterFunctionOptions } from './function-calls/function-registry';

/**
 * A tool declared with its handler: put it in a context's tools (it is a schema tool) and register it with
 * `llm.registerTool`. The schema is zod, or any Standard JSON Schema library's (ArkType, Valibot through
 * `toStandardJsonSchema`).
 */
export interface DefinedTool<S extends AnySchema = AnySchema> extends SchemaFunctionTool<S> {
  /** The arguments' schema: sent as JSON Schema, and used to validate (and type) the model's arguments. */
  readonly parameters: S;
  /** The handler, whose `arguments` are the schema's output type. */
  readonly handler: (params: Omit<FunctionCallParams, 'arguments'> & { readonly arguments: SchemaOutput<S> }) => unknown;
  /** How the handler is registered (`timeoutMs`, `cancelOnInterruption`). */
  readonly options?: RegisterFunctionOptions;
}

/**
 * Declares a tool and its handler in one place; the handler's `arguments` are typed from the schema.
 * @example
 * const weather = defineTool({
 *   name: 'get_weather',
 *   description: 'Current weather in a city',
 *   parameters: z.object({ city: z.string() }),
 *   handler: ({ arguments: { city } }) => `${city}: sunny`,
 * });
 * llm.registerTool(weather);
 * const context = new LLMContext([], [weather]);
 */
export function defineTool<S extends AnySchema>(tool: DefinedTool<S>): DefinedTool<S> {
  return Object.freeze({ ...tool });
}
