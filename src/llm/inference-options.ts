import type { AnySchema } from '../context/schemas';

/** Options of `runInference` / `inference$` (Pipecat's `max_tokens`, `system_instruction`). */
export interface InferenceOptions {
  /** Output token limit for this call only (`max_output_tokens`). */
  readonly maxTokens?: number | undefined;
  /** System prompt for this call only, instead of the settings' one (`instructions`). */
  readonly systemInstruction?: string | undefined;
}

/**
 * `runInference` options that ask for structured output: the answer is parsed and validated with the schema (zod, or
 * Standard JSON Schema: ArkType, Valibot through `toStandardJsonSchema`).
 */
export interface StructuredInferenceOptions<S extends AnySchema = AnySchema> extends InferenceOptions {
  /** The answer's schema; sent as a strict JSON schema (`text.format`), and the answer parsed with it. */
  readonly schema: S;
  /** The schema's name for the API (default `answer`). */
  readonly schemaName?: string | undefined;
}
