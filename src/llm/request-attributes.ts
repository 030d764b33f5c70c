import type { SpanAttributeValue } from './tracing';

/** A request body's field, and the GenAI semantic-convention attribute it is reported as. */
const REQUEST_ATTRIBUTES: readonly (readonly [field: string, attribute: string])[] = [
  ['temperature', 'gen_ai.request.temperature'],
  ['top_p', 'gen_ai.request.top_p'],
  ['max_output_tokens', 'gen_ai.request.max_tokens'],
  ['max_completion_tokens', 'gen_ai.request.max_tokens'],
  ['max_tokens', 'gen_ai.request.max_tokens'],
  ['frequency_penalty', 'gen_ai.request.frequency_penalty'],
  ['presence_penalty', 'gen_ai.request.presence_penalty'],
  ['seed', 'gen_ai.request.seed'],
];

/** The parameters an OpenAI-style request body sends, as GenAI attributes (pure): only the fields it has. */
export function requestAttributesOf(body: object): Record<string, SpanAttributeValue> {
  const attributes: Record<string, SpanAttributeValue> = {};
  for (const [field, attribute] of REQUEST_ATTRIBUTES) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'number') attributes[attribute] = value;
  }
  const tier = (body as { service_tier?: unknown }).service_tier;
  if (typeof tier === 'string') attributes['openai.request.service_tier'] = tier;
  return attributes;
}
