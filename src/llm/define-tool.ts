import type { z } from 'zod/v4';
import type { ZodFunctionTool } from '../context/tools';
import type { FunctionCallParams, RegisterFunctionOptions } from './function-registry';

/** A tool declared with its handler: put it in a context's tools (it is a zod tool) and register it with `llm.registerTool`. */
export interface DefinedTool<Shape extends z.ZodObject = z.ZodObject> extends ZodFunctionTool {
  /** The arguments' schema: sent as JSON Schema, and used to validate (and type) the model's arguments. */
  readonly parameters: Shape;
  /** The handler, whose `arguments` are the schema's output type. */
  readonly handler: (params: Omit<FunctionCallParams, 'arguments'> & { readonly arguments: z.output<Shape> }) => unknown;
  /** How the handler is registered (`timeoutMs`, `cancelOnInterruption`). */
  readonly options?: RegisterFunctionOptions;
}

/**
 * Declares a tool and its handler in one place; the handler's `arguments` are typed from the zod schema.
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
export function defineTool<Shape extends z.ZodObject>(tool: DefinedTool<Shape>): DefinedTool<Shape> {
  return Object.freeze({ ...tool });
}
