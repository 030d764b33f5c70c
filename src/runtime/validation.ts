import type { z } from 'zod/v4';
import { SettingsValidationError } from '../errors/errors';
import { meantName } from './known-names';

/** How one field is checked: its zod schema, and the words an error uses for what it accepts. */
export interface FieldRule {
  /** Parses a given value (never called with undefined). */
  readonly schema: z.ZodType;
  /** What the field accepts, e.g. "a number from 0 to 2, or null". */
  readonly allowed: string;
}

/** The rules of every field of an object, by field name. */
export type FieldRules<K extends string = string> = { readonly [F in K]: FieldRule };

/** Checks one given value; returns what the schema parsed, or throws a `SettingsValidationError` naming the field. */
export function checkField(field: string, rule: FieldRule, value: unknown): unknown {
  const parsed = rule.schema.safeParse(value);
  if (!parsed.success) throw new SettingsValidationError(field, rule.allowed, value);
  return parsed.data;
}

/**
 * Checks an options object from any caller (plain JavaScript too): it must be an object, and every field a rule names
 * and the caller gave (not undefined) must fit; fields without a rule are not checked here.
 */
export function checkOptions(what: string, rules: FieldRules, options: unknown): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new SettingsValidationError(what, 'an object of options', options);
  for (const [field, rule] of Object.entries(rules)) {
    const value = (options as Record<string, unknown>)[field];
    if (value !== undefined) checkField(field, rule, value);
  }
}

/**
 * Checks the names of an options object from plain JavaScript: a snake_case or misspelt name of a known option throws a
 * `SettingsValidationError` naming the camelCase one (its value is not shown: it may be a key); any other unknown name
 * is ignored with a warning, since objects built for other code may carry extra fields.
 */
export function checkOptionNames(options: unknown, known: readonly string[], warn: (message: string) => void): void {
  if (options === null || typeof options !== 'object') return;
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const meant = meantName(name, known);
    if (meant) throw new SettingsValidationError(name, `the option "${meant}" (names are camelCase)`, 'an unknown option');
    warn(`unknown option "${name}" is ignored; the options are ${known.join(', ')}`);
  }
}
