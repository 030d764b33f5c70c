import { z } from 'zod/v4';
import { StructuredOutputError } from '../errors/errors';

/**
 * A zod schema as a strict JSON Schema, as structured outputs require it (pure): every object closed
 * (`additionalProperties: false`) and every one of its properties required.
 */
export function strictJsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  return close(json) as Record<string, unknown>;
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

/** The model's text as the schema's value, or a `StructuredOutputError` naming the path that does not fit. */
export function parseStructured<T>(text: string | null, schema: z.ZodType<T>): T {
  if (text === null) throw new StructuredOutputError('(root)', 'the response has no text');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StructuredOutputError('(root)', 'the response is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new StructuredOutputError(issue.path.join('.') || '(root)', issue.message);
}
