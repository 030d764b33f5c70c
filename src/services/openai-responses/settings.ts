import { z } from 'zod';
import { SettingsValidationError } from '../../errors/errors';

/** The "not given" sentinel: a setting that is `NOT_GIVEN` is left out of the request (null is sent as null). */
export const NOT_GIVEN: unique symbol = Symbol.for('rx-responses.NOT_GIVEN') as never;
/** The type of `NOT_GIVEN`. */
export type NotGiven = typeof NOT_GIVEN;

/** Reasoning options of reasoning models (sent as the request's `reasoning`). */
export interface ReasoningSettings {
  /** How hard the model thinks. */
  readonly effort?: 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  /** Whether and how to stream a reasoning summary. */
  readonly summary?: 'auto' | 'concise' | 'detailed';
}

/** Every setting with its value type; `NOT_GIVEN` means "leave it out of the request". */
export interface OpenAIResponsesLLMSettingsValues {
  /** The model id. */
  readonly model: string;
  /** The system prompt, sent as `instructions`. */
  readonly systemInstruction: string | null | NotGiven;
  /** Sampling temperature, 0 to 2. */
  readonly temperature: number | null | NotGiven;
  /** Nucleus sampling, 0 to 1 (`top_p`). */
  readonly topP: number | null | NotGiven;
  /** −2 to 2. Accepted for parity with the page; the Responses API has no such parameter, so it is not sent. */
  readonly frequencyPenalty: number | null | NotGiven;
  /** −2 to 2. Accepted for parity with the page; the Responses API has no such parameter, so it is not sent. */
  readonly presencePenalty: number | null | NotGiven;
  /** An integer. Accepted for parity with the page; the Responses API has no such parameter, so it is not sent. */
  readonly seed: number | null | NotGiven;
  /** Upper bound of output tokens, a positive integer (`max_output_tokens`). */
  readonly maxCompletionTokens: number | null | NotGiven;
  /** Reasoning effort and summary (`reasoning`). */
  readonly reasoning: ReasoningSettings | null | NotGiven;
  /** Whether the model may call several tools at once (`parallel_tool_calls`). */
  readonly parallelToolCalls: boolean | null | NotGiven;
  /** Request fields we do not model, merged into the body last (Pipecat's `extra`). */
  readonly extra: Readonly<Record<string, unknown>> | NotGiven;
}

/** A validated, frozen set of settings in which any field may be `NOT_GIVEN` ("unchanged" in a delta). */
export type OpenAIResponsesLLMSettingsDelta = {
  readonly [K in keyof OpenAIResponsesLLMSettingsValues]: OpenAIResponsesLLMSettingsValues[K] | NotGiven;
};

/** The service's effective settings: a delta merged over the defaults, so `model` is always set. */
export type ResolvedSettings = OpenAIResponsesLLMSettingsDelta & { readonly model: string };

/** What `OpenAIResponsesLLMSettings(...)` accepts: any subset of the settings. */
export type OpenAIResponsesLLMSettingsInput = {
  readonly [K in keyof OpenAIResponsesLLMSettingsValues]?: OpenAIResponsesLLMSettingsValues[K] | NotGiven | undefined;
};

/** The settings a service starts from, as on the Pipecat page. */
export const DEFAULT_SETTINGS: ResolvedSettings = Object.freeze({
  model: 'gpt-4.1',
  systemInstruction: NOT_GIVEN,
  temperature: NOT_GIVEN,
  topP: NOT_GIVEN,
  frequencyPenalty: null,
  presencePenalty: null,
  seed: null,
  maxCompletionTokens: NOT_GIVEN,
  reasoning: NOT_GIVEN,
  parallelToolCalls: NOT_GIVEN,
  extra: NOT_GIVEN,
});

/** Settings the page lists that the Responses API does not take: validated, never sent, warned about once. */
export const INEFFECTIVE_SETTINGS = ['frequencyPenalty', 'presencePenalty', 'seed'] as const;

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

/** Each setting's zod schema and the words an error uses for what it accepts. */
const FIELD_RULES: { readonly [K in keyof OpenAIResponsesLLMSettingsValues]: { schema: z.ZodType; allowed: string } } = {
  model: { schema: z.string().min(1), allowed: 'a non-empty model id string' },
  systemInstruction: { schema: nullable(z.string()), allowed: 'a string or null' },
  temperature: { schema: nullable(z.number().min(0).max(2)), allowed: 'a number from 0 to 2, or null' },
  topP: { schema: nullable(z.number().min(0).max(1)), allowed: 'a number from 0 to 1, or null' },
  frequencyPenalty: { schema: nullable(z.number().min(-2).max(2)), allowed: 'a number from -2 to 2, or null' },
  presencePenalty: { schema: nullable(z.number().min(-2).max(2)), allowed: 'a number from -2 to 2, or null' },
  seed: { schema: nullable(z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)), allowed: 'an integer, or null' },
  maxCompletionTokens: {
    schema: nullable(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)),
    allowed: 'a positive integer (1 or more), or null',
  },
  reasoning: {
    schema: nullable(
      z.strictObject({
        effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).optional(),
        summary: z.enum(['auto', 'concise', 'detailed']).optional(),
      }),
    ),
    allowed: "null or { effort?: 'none'|'minimal'|'low'|'medium'|'high'|'xhigh'|'max', summary?: 'auto'|'concise'|'detailed' }",
  },
  parallelToolCalls: { schema: nullable(z.boolean()), allowed: 'a boolean, or null' },
  extra: { schema: z.record(z.string(), z.unknown()), allowed: 'an object of extra request fields' },
};

const FIELD_NAMES = Object.keys(FIELD_RULES) as (keyof OpenAIResponsesLLMSettingsValues)[];

/** Deltas made by `OpenAIResponsesLLMSettings`: already validated, so a merge need not check them again. */
const validatedDeltas = new WeakSet<object>();

/**
 * Validates settings and returns them frozen; fields you leave out are `NOT_GIVEN`.
 * Throws a `SettingsValidationError` naming the first bad field and its allowed range.
 * @example const delta = OpenAIResponsesLLMSettings({ temperature: 0.3, maxCompletionTokens: 500 });
 */
export function OpenAIResponsesLLMSettings(input: OpenAIResponsesLLMSettingsInput = {}): OpenAIResponsesLLMSettingsDelta {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SettingsValidationError('settings', 'an object of settings', input);
  }
  if (validatedDeltas.has(input)) return input as OpenAIResponsesLLMSettingsDelta;
  for (const key of Object.keys(input)) {
    if (!(key in FIELD_RULES)) throw new SettingsValidationError(key, `one of the known settings (${FIELD_NAMES.join(', ')})`, 'an unknown setting');
  }
  const values: Record<string, unknown> = {};
  for (const field of FIELD_NAMES) {
    const value = (input as Record<string, unknown>)[field];
    if (value === undefined || value === NOT_GIVEN) {
      values[field] = NOT_GIVEN;
      continue;
    }
    const rule = FIELD_RULES[field];
    const parsed = rule.schema.safeParse(value);
    if (!parsed.success) throw new SettingsValidationError(field, rule.allowed, value);
    values[field] = parsed.data;
  }
  const delta = Object.freeze(values) as OpenAIResponsesLLMSettingsDelta;
  validatedDeltas.add(delta);
  return delta;
}

/** Returns `current` with every field the delta gives replaced; validates a delta that did not come from `OpenAIResponsesLLMSettings`. */
export function mergeSettings(current: ResolvedSettings, delta: OpenAIResponsesLLMSettingsInput): ResolvedSettings {
  const valid = OpenAIResponsesLLMSettings(delta);
  const merged: Record<string, unknown> = { ...current };
  for (const field of FIELD_NAMES) {
    if (valid[field] !== NOT_GIVEN) merged[field] = valid[field];
  }
  return Object.freeze(merged) as ResolvedSettings;
}

/** The page's settings that a delta sets to a value although the Responses API ignores them. */
export function ineffectiveSettingsIn(delta: OpenAIResponsesLLMSettingsDelta): string[] {
  return INEFFECTIVE_SETTINGS.filter((field) => delta[field] !== NOT_GIVEN && delta[field] !== null);
}

/** Whether a value was given (is not `NOT_GIVEN`). */
export function isGiven<T>(value: T | NotGiven): value is T {
  return value !== NOT_GIVEN;
}
