import type { LLMContext } from '../context/llm-context';
import type { RxResponsesError } from '../errors/errors';
import type { ResponseRecord } from './response-record';
import { startResponseSpan, type SpanAttributeValue, type SpanLike } from './tracing';
import type { TurnCore } from './turn-core';

/**
 * One response's span, after the GenAI semantic conventions: opened with the request's model and the parameters the
 * request sends (when the provider says which); undefined without a tracer.
 */
export function openResponseSpan<Event, Settings extends { readonly model: string }>(core: TurnCore<Event, Settings>, context: LLMContext, settings: Settings): SpanLike | undefined {
  if (!core.tracer) return undefined;
  const span = startResponseSpan(core.tracer, core.provider.system, settings.model, core.name);
  try {
    for (const [key, value] of Object.entries(core.provider.requestAttributes?.(context, settings) ?? {})) span.setAttribute(key, value);
  } catch {
    // A context the request cannot be built from fails the response itself; the span only misses the parameters.
  }
  return span;
}

/** The usage attributes of a response's span: tokens in and out, cached, cache-written and reasoning ones. */
export function recordUsageOnSpan(span: SpanLike, record: ResponseRecord, model: string): void {
  const usage = record.usage!;
  span.setAttribute('gen_ai.response.model', model);
  span.setAttribute('gen_ai.usage.input_tokens', usage.promptTokens);
  span.setAttribute('gen_ai.usage.output_tokens', usage.completionTokens);
  span.setAttribute('gen_ai.usage.cache_read.input_tokens', usage.cacheReadInputTokens);
  span.setAttribute('gen_ai.usage.cache_creation.input_tokens', usage.cacheCreationInputTokens);
  span.setAttribute('gen_ai.usage.reasoning.output_tokens', usage.reasoningTokens);
}

/** What a finished response adds to its span: its id and why it ended. */
export function recordEndOnSpan(span: SpanLike, record: ResponseRecord, failed: boolean): void {
  if (record.responseId) span.setAttribute('gen_ai.response.id', record.responseId);
  const reason = failed && !record.finishReason ? 'error' : record.finishReason;
  if (reason) span.setAttribute('gen_ai.response.finish_reasons', [reason]);
}

/** The GenAI client metrics of one response: its duration (with `error.type` when it failed) and its token usage. */
export function recordResponseMetrics<Event>(core: TurnCore<Event, { readonly model: string }>, record: ResponseRecord, seconds: number, error: RxResponsesError | undefined): void {
  const metrics = core.metrics;
  if (!metrics) return;
  const attributes: Record<string, SpanAttributeValue> = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': core.provider.system,
    'gen_ai.request.model': record.requestedModel,
  };
  if (record.model) attributes['gen_ai.response.model'] = record.model;
  metrics.duration.record(seconds, error ? { ...attributes, 'error.type': error.name } : attributes);
  if (!record.usage) return;
  metrics.tokenUsage.record(record.usage.promptTokens, { ...attributes, 'gen_ai.token.type': 'input' });
  metrics.tokenUsage.record(record.usage.completionTokens, { ...attributes, 'gen_ai.token.type': 'output' });
}
