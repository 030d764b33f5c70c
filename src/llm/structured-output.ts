import { checkWith, isPromise, jsonSchemaOf, type AnySchema, type Checked } from '../context/schemas';
import { StructuredOutputError } from '../errors/errors';

/**
 * A schema (zod, or Standard JSON Schema) as a strict JSON Schema, as structured outputs require it (pure): every object
 * closed (`additionalProperties: false`) and every one of its properties required.
 */
export function strictJsonSchemaOf(schema: AnySchema): Record<string, unknown> {
  return close(jsonSchemaOf(schema, 'output')) as Record<string, unknown>;
}

function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = close(value);
  if (copy.type === 'object' && copy.properties && typeof copy.properties === 'object') {
    copy.additionalProperties = false;
    copy.required = Object.keys(copy.properties);
  }
  return copy;
}

/**
 * The model's text as the schema's value, or a `StructuredOutputError` naming the path that does not fit; a promise when
 * the schema checks asynchronously.
 */
export function parseStructured<T>(text: string | null, schema: AnySchema): T | Promise<T> {
  if (text === null) throw new StructuredOutputError('(root)', 'the response has no text');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StructuredOutputError('(root)', 'the response is not valid JSON');
  }
  const checked = checkWith<T>(schema, value);
  return isPromise(checked) ? checked.then(valueOf) : valueOf(checked);
}

function valueOf<T>(checked: Checked<T>): T {
  if (checked.ok) return checked.value;
  // A schema that throws (or rejects) is third-party code failing: it rejects as the answer not fitting, with the cause.
  if ('failure' in checked) throw new StructuredOutputError('(root)', `the schema failed while checking the answer: ${checked.failure}`);
  const issue = checked.issues[0]!;
  throw new StructuredOutputError(issue.path, issue.message);
}
