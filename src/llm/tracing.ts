/** A span attribute's value, as OpenTelemetry takes it. */
export type SpanAttributeValue = string | number | boolean | string[];

/** The part of an OpenTelemetry span the service uses (`@opentelemetry/api`'s `Span` fits). */
export interface SpanLike {
  setAttribute(key: string, value: SpanAttributeValue): unknown;
  recordException(exception: Error): unknown;
  setStatus(status: { readonly code: number; readonly message?: string }): unknown;
  end(): void;
}

/** The part of an OpenTelemetry `Tracer` the service uses: pass `trace.getTracer('my-app')` from `@opentelemetry/api`. */
export interface TracerLike {
  startSpan(name: string, options?: { readonly kind?: number; readonly attributes?: Record<string, SpanAttributeValue> }, context?: unknown): SpanLike;
}

/** The part of an OpenTelemetry histogram the service uses. */
export interface HistogramLike {
  record(value: number, attributes?: Record<string, SpanAttributeValue>): void;
}

/** The part of an OpenTelemetry `Meter` the service uses: pass `metrics.getMeter('my-app')` from `@opentelemetry/api`. */
export interface MeterLike {
  createHistogram(name: string, options?: { readonly description?: string; readonly unit?: string }): HistogramLike;
}

/** The GenAI client metrics of one service: token usage and operation duration, after the semantic conventions. */
export interface GenAIMetrics {
  readonly tokenUsage: HistogramLike;
  readonly duration: HistogramLike;
}

/** The histograms the GenAI conventions name, made once per service. */
export function genAIMetrics(meter: MeterLike): GenAIMetrics {
  return {
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', { description: 'Number of input and output tokens used', unit: '{token}' }),
    duration: meter.createHistogram('gen_ai.client.operation.duration', { description: 'GenAI operation duration', unit: 's' }),
  };
}

/** OpenTelemetry's numbers, so the optional peer is needed only to link child spans. */
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** An OpenTelemetry context, as much of it as linking a child span needs (`@opentelemetry/api`'s `Context` fits). */
interface ContextLike {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): ContextLike;
  deleteValue(key: symbol): ContextLike;
}

/** Where `@opentelemetry/api` 1.x keeps what the app registered (its context manager among them), on `globalThis`. */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
/** The key under which an OpenTelemetry context holds its span (the same symbol in every copy of the API). */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/** An immutable context of our own, for when the app registered no context manager. */
function contextOf(values: ReadonlyMap<symbol, unknown>): ContextLike {
  return {
    getValue: (key) => values.get(key),
    setValue: (key, value) => contextOf(new Map(values).set(key, value)),
    deleteValue: (key) => {
      const next = new Map(values);
      next.delete(key);
      return contextOf(next);
    },
  };
}

/**
 * The active context with `parent` as its span, so a tracer makes the next span its child. Read the way
 * `@opentelemetry/api` itself reads it (the registered context manager on `globalThis`), so the optional peer is never
 * imported: nothing to resolve for bundlers, and the same code in the CommonJS and ES module builds.
 */
function withParent(parent: SpanLike): ContextLike {
  const registered = (globalThis as { [OTEL_GLOBAL]?: { context?: { active?(): ContextLike } } })[OTEL_GLOBAL];
  const active = registered?.context?.active?.();
  return active && typeof active.setValue === 'function' ? active.setValue(SPAN_KEY, parent) : contextOf(new Map([[SPAN_KEY, parent]]));
}

/** A response's span, named and described after the GenAI semantic conventions (`chat {model}`). */
export function startResponseSpan(tracer: TracerLike, system: string, model: string, service: string): SpanLike {
  return tracer.startSpan(`chat ${model}`, {
    kind: SPAN_KIND_CLIENT,
    attributes: { 'gen_ai.system': system, 'gen_ai.provider.name': system, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, 'rx_responses.service': service },
  });
}

/** A function call's span, a child of its response's (`execute_tool {name}`). */
export function startToolSpan(tracer: TracerLike, name: string, toolCallId: string, parent: SpanLike | undefined): SpanLike {
  const context = parent ? withParent(parent) : undefined;
  return tracer.startSpan(
    `execute_tool ${name}`,
    { kind: SPAN_KIND_INTERNAL, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, 'gen_ai.tool.call.id': toolCallId } },
    context,
  );
}

/** Records a failure on a span: the exception and an error status. */
export function recordFailure(span: SpanLike, error: Error): void {
  span.recordException(error);
  span.setStatus({ code: STATUS_ERROR, message: error.message });
}
