import { z } from 'zod/v4';
import { NOT_GIVEN, type NotGiven } from '../../llm/not-given';
import {
  defineSettings,
  LLM_SETTING_RULES,
  type LLMSettingsValues,
  type ResolvedSettingsOf,
  type SettingsDelta,
  type SettingsInput,
} from '../../llm/settings';
import type { FieldRules } from '../../runtime/validation';

/** Reasoning efforts the Responses API knows, lowest first. */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
/** Reasoning summary modes. */
export const REASONING_SUMMARIES = ['auto', 'concise', 'detailed'] as const;

/** Reasoning options of reasoning models (sent as the request's `reasoning`). */
export interface ReasoningSettings {
  /** How hard the model thinks. */
  readonly effort?: (typeof REASONING_EFFORTS)[number];
  /** Whether and how to stream a reasoning summary. */
  readonly summary?: (typeof REASONING_SUMMARIES)[number];
}

/** Every setting of the Responses service with its value type; `NOT_GIVEN` means "leave it out of the request". */
export interface OpenAIResponsesLLMSettingsValues extends LLMSettingsValues {
  /** −2 to 2. Accepted for parity with the page; the Responses API has no such parameter, so it is not sent. */
  readonly frequencyPenalty: number | null | NotGiven;
  /** −2 to 2. Accepted for parity with the page; the Responses API has no such parameter, so it is not sent. */
  readonly presencePenalty: number | null | NotGiven;
  /** An integer. Accepted for parity with the page; the Responses API has no such parameter, so it is not sent. */
  readonly seed: number | null | NotGiven;
  /** Reasoning effort and summary (`reasoning`). */
  readonly reasoning: ReasoningSettings | null | NotGiven;
  /** Whether the model may call several tools at once (`parallel_tool_calls`). */
  readonly parallelToolCalls: boolean | null | NotGiven;
  /** A key that groups requests sharing a prompt prefix, for better cache hits (`prompt_cache_key`). */
  readonly promptCacheKey: string | NotGiven;
  /** A stable, hashed id of your end user, for abuse detection (`safety_identifier`). */
  readonly safetyIdentifier: string | NotGiven;
  /** How long the answer should be (`text.verbosity`). */
  readonly textVerbosity: 'low' | 'medium' | 'high' | NotGiven;
  /** What to do when the input exceeds the context window (`truncation`). */
  readonly truncation: 'auto' | 'disabled' | NotGiven;
  /** Up to 16 string pairs stored with the response (`metadata`). */
  readonly metadata: Readonly<Record<string, string>> | NotGiven;
  /** The most hosted-tool calls one response may make (`max_tool_calls`). */
  readonly maxToolCalls: number | NotGiven;
  /** Extra output to include (`include`, e.g. `'web_search_call.action.sources'`); reasoning's is added when needed. */
  readonly include: readonly string[] | NotGiven;
}

/** A validated, frozen set of settings in which any field may be `NOT_GIVEN` ("unchanged" in a delta). */
export type OpenAIResponsesLLMSettingsDelta = SettingsDelta<OpenAIResponsesLLMSettingsValues>;

/** The service's effective settings: a delta merged over the defaults, so `model` is always set. */
export type ResolvedSettings = ResolvedSettingsOf<OpenAIResponsesLLMSettingsValues>;

/** What `OpenAIResponsesLLMSettings(...)` accepts: any subset of the settings. */
export type OpenAIResponsesLLMSettingsInput = SettingsInput<OpenAIResponsesLLMSettingsValues>;

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
  promptCacheKey: NOT_GIVEN,
  safetyIdentifier: NOT_GIVEN,
  textVerbosity: NOT_GIVEN,
  truncation: NOT_GIVEN,
  metadata: NOT_GIVEN,
  maxToolCalls: NOT_GIVEN,
  include: NOT_GIVEN,
  extra: NOT_GIVEN,
});

/** Settings the page lists that the Responses API does not take: validated, never sent, warned about once. */
export const INEFFECTIVE_SETTINGS = ['frequencyPenalty', 'presencePenalty', 'seed'] as const;

const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join('|');

/** Each setting's zod schema and the words an error uses for what it accepts. */
const RULES: FieldRules<keyof OpenAIResponsesLLMSettingsValues> = {
  ...LLM_SETTING_RULES,
  reasoning: {
    schema: z.strictObject({ effort: z.enum(REASONING_EFFORTS).optional(), summary: z.enum(REASONING_SUMMARIES).optional() }).nullable(),
    allowed: `null or { effort?: ${quoted(REASONING_EFFORTS)}, summary?: ${quoted(REASONING_SUMMARIES)} }`,
  },
  parallelToolCalls: { schema: z.boolean().nullable(), allowed: 'a boolean, or null' },
  promptCacheKey: { schema: z.string().min(1), allowed: 'a non-empty string' },
  safetyIdentifier: { schema: z.string().min(1).max(64), allowed: 'a string of 1 to 64 characters' },
  textVerbosity: { schema: z.enum(['low', 'medium', 'high']), allowed: "'low', 'medium' or 'high'" },
  truncation: { schema: z.enum(['auto', 'disabled']), allowed: "'auto' or 'disabled'" },
  metadata: {
    schema: z.record(z.string().max(64), z.string().max(512)).refine((value) => Object.keys(value).length <= 16),
    allowed: 'an object of at most 16 string values (keys up to 64 characters, values up to 512)',
  },
  maxToolCalls: { schema: z.number().int().min(1), allowed: 'a positive integer' },
  include: { schema: z.array(z.string().min(1)), allowed: 'an array of strings' },
};

/** The Responses service's settings: rules, defaults, parse and merge. */
export const responsesSettings = defineSettings<OpenAIResponsesLLMSettingsValues>(RULES, DEFAULT_SETTINGS);

/**
 * Validates settings and returns them frozen; fields you leave out are `NOT_GIVEN`.
 * Throws a `SettingsValidationError` naming the first bad field and its allowed range.
 * @example const delta = OpenAIResponsesLLMSettings({ temperature: 0.3, maxCompletionTokens: 500 });
 */
export function OpenAIResponsesLLMSettings(input: OpenAIResponsesLLMSettingsInput = {}): OpenAIResponsesLLMSettingsDelta {
  return responsesSettings.parse(input);
}

/** Returns `current` with every field the delta gives replaced; validates a delta that did not come from `OpenAIResponsesLLMSettings`. */
export function mergeSettings(current: ResolvedSettings, delta: OpenAIResponsesLLMSettingsInput): ResolvedSettings {
  return responsesSettings.merge(current, delta);
}

/** The page's settings that a delta sets to a value although the Responses API ignores them. */
export function ineffectiveSettingsIn(delta: OpenAIResponsesLLMSettingsDelta): string[] {
  return INEFFECTIVE_SETTINGS.filter((field) => delta[field] !== NOT_GIVEN && delta[field] !== null);
}
