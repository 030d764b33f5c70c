import { z } from 'zod/v4';
import { SettingsValidationError } from '../errors/errors';
import { NOT_GIVEN, type NotGiven } from './not-given';
import { meantName } from '../runtime/known-names';
import { checkField, type FieldRules } from '../runtime/validation';

/** The settings every LLM service has, with their value types; `NOT_GIVEN` means "leave it out of the request". */
export interface LLMSettingsValues {
  /** The model id. */
  readonly model: string;
  /** The system prompt. */
  readonly systemInstruction: string | null | NotGiven;
  /** Sampling temperature, 0 to 2. */
  readonly temperature: number | null | NotGiven;
  /** Nucleus sampling, 0 to 1. */
  readonly topP: number | null | NotGiven;
  /** −2 to 2; sent only where the provider's API has it. */
  readonly frequencyPenalty: number | null | NotGiven;
  /** −2 to 2; sent only where the provider's API has it. */
  readonly presencePenalty: number | null | NotGiven;
  /** An integer; sent only where the provider's API has it. */
  readonly seed: number | null | NotGiven;
  /** Upper bound of output tokens, a positive integer. */
  readonly maxCompletionTokens: number | null | NotGiven;
  /** Request fields the service does not model, merged into the body last (Pipecat's `extra`). */
  readonly extra: Readonly<Record<string, unknown>> | NotGiven;
}

/** A validated, frozen set of settings in which any field may be `NOT_GIVEN` ("unchanged" in a delta). */
export type SettingsDelta<V> = { readonly [K in keyof V]: V[K] | NotGiven };

/** A service's effective settings: a delta merged over the defaults, so `model` is always set. */
export type ResolvedSettingsOf<V> = SettingsDelta<V> & { readonly model: string };

/** What a settings function accepts: any subset of the settings. */
export type SettingsInput<V> = { readonly [K in keyof V]?: V[K] | NotGiven | undefined };

/** A provider's settings: their rules and defaults, and how deltas are validated and merged. */
export interface SettingsModel<V> {
  /** The settings a service starts from. */
  readonly defaults: ResolvedSettingsOf<V>;
  /** Validates a delta and returns it frozen; fields left out are `NOT_GIVEN`. Throws `SettingsValidationError`. */
  parse(input: SettingsInput<V>): SettingsDelta<V>;
  /** Returns `current` with every field the delta gives replaced (validating a delta `parse` did not make). */
  merge(current: ResolvedSettingsOf<V>, delta: SettingsInput<V>): ResolvedSettingsOf<V>;
}

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

/** The rules of the settings every LLM service has. */
export const LLM_SETTING_RULES: FieldRules<keyof LLMSettingsValues> = {
  model: { schema: z.string().min(1), allowed: 'a non-empty model id string' },
  systemInstruction: { schema: nullable(z.string()), allowed: 'a string or null' },
  temperature: { schema: nullable(z.number().min(0).max(2)), allowed: 'a number from 0 to 2, or null' },
  topP: { schema: nullable(z.number().min(0).max(1)), allowed: 'a number from 0 to 1, or null' },
  frequencyPenalty: { schema: nullable(z.number().min(-2).max(2)), allowed: 'a number from -2 to 2, or null' },
  presencePenalty: { schema: nullable(z.number().min(-2).max(2)), allowed: 'a number from -2 to 2, or null' },
  seed: { schema: nullable(z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)), allowed: 'an integer, or null' },
  maxCompletionTokens: { schema: nullable(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)), allowed: 'a positive integer (1 or more), or null' },
  extra: { schema: z.record(z.string(), z.unknown()), allowed: 'an object of extra request fields' },
};

/**
 * Builds a provider's settings model from the rules of each field and the defaults. Every field is checked with its
 * zod schema; an unknown name or a value out of range throws a `SettingsValidationError` naming the field.
 */
export function defineSettings<V extends { readonly model: string }>(rules: FieldRules<keyof V & string>, defaults: ResolvedSettingsOf<V>): SettingsModel<V> {
  const fields = Object.keys(rules) as (keyof V & string)[];
  // Deltas this model made: already validated, so a merge need not check them again.
  const validated = new WeakSet<object>();
  const parse = (input: SettingsInput<V>): SettingsDelta<V> => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new SettingsValidationError('settings', 'an object of settings', input);
    if (validated.has(input)) return input as SettingsDelta<V>;
    for (const key of Object.keys(input)) {
      if (key in rules) continue;
      const meant = meantName(key, fields);
      throw new SettingsValidationError(key, meant ? `the setting "${meant}" (names are camelCase)` : `one of the known settings (${fields.join(', ')})`, 'an unknown setting');
    }
    const values: Record<string, unknown> = {};
    for (const field of fields) {
      const value = (input as Record<string, unknown>)[field];
      values[field] = value === undefined || value === NOT_GIVEN ? NOT_GIVEN : checkField(field, rules[field], value);
    }
    const delta = Object.freeze(values) as SettingsDelta<V>;
    validated.add(delta);
    return delta;
  };
  const merge = (current: ResolvedSettingsOf<V>, input: SettingsInput<V>): ResolvedSettingsOf<V> => {
    const delta = parse(input) as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...current };
    for (const field of fields) if (delta[field] !== NOT_GIVEN) merged[field] = delta[field];
    return Object.freeze(merged) as ResolvedSettingsOf<V>;
  };
  return { defaults: Object.freeze({ ...defaults }) as ResolvedSettingsOf<V>, parse, merge };
}
