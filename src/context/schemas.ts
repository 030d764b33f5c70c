import { z } from 'zod/v4';

/** A JSON Schema object (the `parameters` of a function tool). */
export type JsonSchema = Record<string, unknown>;

/** One problem a Standard Schema found (as the spec describes it). */
export interface StandardSchemaIssue {
  /** What is wrong. */
  readonly message: string;
  /** Where: keys, or path segments that carry a key. */
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** What a Standard Schema's `validate` returns. */
export type StandardSchemaResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

/** The JSON Schema converter of the Standard JSON Schema spec (`~standard.jsonSchema`). */
export interface StandardJsonSchemaConverter {
  /** The schema of the values it accepts. */
  readonly input: (options: { readonly target: string }) => Record<string, unknown>;
  /** The schema of the values it produces. */
  readonly output: (options: { readonly target: string }) => Record<string, unknown>;
}

/**
 * A schema of any library that implements Standard Schema (https://standardschema.dev) and its JSON Schema converter:
 * zod 4.2+, ArkType 2.1.28+, Valibot through `toStandardJsonSchema` (`@valibot/to-json-schema`).
 */
export interface StandardJsonSchema<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema: StandardJsonSchemaConverter;
  };
}

/** A schema this library can send as JSON Schema and check values with: zod (4, or 3.25+ through `zod/v4`) or Standard JSON Schema. */
export type AnySchema = z.ZodType | StandardJsonSchema;

/** The value a schema produces: zod's output type, or the Standard Schema's. */
export type SchemaOutput<S> = S extends z.ZodType ? z.output<S> : S extends StandardJsonSchema<unknown, infer Output> ? Output : never;

/**
 * The outcome of checking a value: the schema's value; each issue with its path (`a.b.0`, or `(root)`); or why the
 * schema itself failed (it threw, or its promise rejected: third-party code).
 */
export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: ReadonlyArray<{ readonly path: string; readonly message: string }> }
  | { readonly ok: false; readonly failure: string };

/** The Standard Schema properties of a value, if it has them. */
function standardOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' && typeof value !== 'function') return undefined;
  if (value === null) return undefined;
  const standard = (value as { '~standard'?: unknown })['~standard'];
  return typeof standard === 'object' && standard !== null ? (standard as Record<string, unknown>) : undefined;
}

/** Whether a value is a zod 4 schema (zod 4, or zod 3.25+'s `zod/v4`): recognised by its internals, not `instanceof`. */
function isZod4(value: unknown): value is z.ZodType {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && '_zod' in value;
}

/** Whether a value is a schema this library can use (see `AnySchema`). Functions count: ArkType's types are functions. */
export function isUsableSchema(value: unknown): value is AnySchema {
  if (isZod4(value)) return true;
  const standard = standardOf(value);
  const converter = standard?.jsonSchema as { input?: unknown; output?: unknown } | undefined;
  return typeof standard?.validate === 'function' && typeof converter?.input === 'function' && typeof converter.output === 'function';
}

/**
 * Why a value cannot be used as a schema, when it is a schema of a kind this library cannot turn into JSON Schema: zod 3,
 * or a Standard Schema without the JSON Schema converter. Undefined for a usable schema and for what is no schema at all.
 */
export function unusableSchema(value: unknown): string | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || isUsableSchema(value)) return undefined;
  const standard = standardOf(value);
  if ('_def' in value || standard?.vendor === 'zod') {
    return "a zod 3 schema: import z from 'zod/v4' (zod 3.25 and later ship it) or upgrade to zod 4, so it can be sent as JSON Schema";
  }
  if (!standard) return undefined;
  const vendor = String(standard.vendor);
  const hint = vendor === 'valibot' ? "wrap it with toStandardJsonSchema from '@valibot/to-json-schema'" : vendor === 'arktype' ? 'upgrade to ArkType 2.1.28 or later' : 'use a version of the library that implements Standard JSON Schema, or give a JSON Schema object';
  return `a ${vendor} schema without Standard JSON Schema's converter (~standard.jsonSchema), which the API needs to receive it: ${hint}`;
}

/** The JSON Schema of what a schema accepts (`input`: tool arguments) or produces (`output`: structured answers), without `$schema`. */
export function jsonSchemaOf(schema: AnySchema, io: 'input' | 'output'): JsonSchema {
  const json = isZod4(schema) ? (z.toJSONSchema(schema, { io }) as JsonSchema) : schema['~standard'].jsonSchema[io]({ target: 'draft-2020-12' });
  const { $schema: _dialect, ...rest } = json;
  return rest;
}

/** A path as one string: `a.b.0`, or `(root)`. */
function pathOf(path: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined): string {
  const keys = (path ?? []).map((segment) => String(typeof segment === 'object' && segment !== null ? segment.key : segment));
  return keys.join('.') || '(root)';
}

function fromStandard<T>(result: StandardSchemaResult<T>): Checked<T> {
  if (!result.issues) return { ok: true, value: result.value };
  return { ok: false, issues: result.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })) };
}

/** Whether a value is a promise (of any realm or library): has a `then` method. */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A schema's own failure (a throw or a rejection) as an outcome. */
function failureOf<T>(error: unknown): Checked<T> {
  return { ok: false, failure: error instanceof Error ? error.message : String(error) };
}

/**
 * Checks a value with a schema: synchronously for zod and synchronous Standard Schemas, as a promise for asynchronous
 * ones. Never throws or rejects: a schema that does is reported as its `failure`.
 */
export function checkWith<T>(schema: AnySchema, value: unknown): Checked<T> | Promise<Checked<T>> {
  try {
    if (isZod4(schema)) {
      const parsed = schema.safeParse(value);
      return parsed.success ? { ok: true, value: parsed.data as T } : { ok: false, issues: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })) };
    }
    const result = schema['~standard'].validate(value) as StandardSchemaResult<T> | Promise<StandardSchemaResult<T>>;
    return isPromise(result) ? result.then(fromStandard, failureOf<T>) : fromStandard(result);
  } catch (error) {
    return failureOf(error);
  }
}
