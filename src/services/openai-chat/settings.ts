import { z } from 'zod/v4';
import { NOT_GIVEN, type NotGiven } from '../../llm/not-given';
import { defineSettings, LLM_SETTING_RULES, type LLMSettingsValues, type ResolvedSettingsOf, type SettingsDelta, type SettingsInput } from '../../llm/settings';
import type { FieldRules } from '../../runtime/validation';

/** Every setting of the Chat Completions service; `NOT_GIVEN` means "leave it out of the request". */
export interface OpenAILLMSettingsValues extends LLMSettingsValues {
  /** Whether the model may call several tools at once (`parallel_tool_calls`). */
  readonly parallelToolCalls: boolean | null | NotGiven;
}

/** A validated, frozen set of Chat Completions settings in which any field may be `NOT_GIVEN`. */
export type OpenAILLMSettingsDelta = SettingsDelta<OpenAILLMSettingsValues>;
/** What `OpenAILLMSettings(...)` accepts. */
export type OpenAILLMSettingsInput = SettingsInput<OpenAILLMSettingsValues>;
/** The Chat Completions service's effective settings. */
export type OpenAILLMResolvedSettings = ResolvedSettingsOf<OpenAILLMSettingsValues>;

/** The settings a Chat Completions service starts from (Pipecat's defaults: everything left to the API). */
const DEFAULTS: OpenAILLMResolvedSettings = Object.freeze({
  model: 'gpt-4.1',
  systemInstruction: NOT_GIVEN,
  temperature: NOT_GIVEN,
  topP: NOT_GIVEN,
  frequencyPenalty: NOT_GIVEN,
  presencePenalty: NOT_GIVEN,
  seed: NOT_GIVEN,
  maxCompletionTokens: NOT_GIVEN,
  parallelToolCalls: NOT_GIVEN,
  extra: NOT_GIVEN,
});

const RULES: FieldRules<keyof OpenAILLMSettingsValues> = {
  ...LLM_SETTING_RULES,
  parallelToolCalls: { schema: z.boolean().nullable(), allowed: 'a boolean, or null' },
};

/** The Chat Completions service's settings: rules, defaults, parse and merge. */
export const chatSettings = defineSettings<OpenAILLMSettingsValues>(RULES, DEFAULTS);

/**
 * Validates Chat Completions settings and returns them frozen; fields you leave out are `NOT_GIVEN`.
 * @example const delta = OpenAILLMSettings({ temperature: 0.3, seed: 7 });
 */
export function OpenAILLMSettings(input: OpenAILLMSettingsInput = {}): OpenAILLMSettingsDelta {
  return chatSettings.parse(input);
}
