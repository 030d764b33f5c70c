/** A span attribute's value, as OpenTelemetry takes it. */
export type SpanAttributeValue = string | number | boolean;

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

/** OpenTelemetry's numbers, so the optional peer is needed only to link child spans. */
const SPAN_KIND_INTERNAL = 0;
const SPAN_KIND_CLIENT = 2;
const STATUS_ERROR = 2;

/** `@opentelemetry/api`, when the app has it (an optional peer): it links a function call's span to its response's. */
let api: { trace: { setSpan(context: unknown, span: SpanLike): unknown }; context: { active(): unknown } } | null | undefined;
function otel(): typeof api {
  if (api === undefined) {
    try {
      // An optional peer: loaded only when a tracer is given, and only if the app installed it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      api = require('@opentelemetry/api') as typeof api;
    } catch {
      api = null;
    }
  }
  return api;
}

/** A response's span, named and described after the GenAI semantic conventions (`chat {model}`). */
export function startResponseSpan(tracer: TracerLike, system: string, model: string, service: string): SpanLike {
  return tracer.startSpan(`chat ${model}`, {
    kind: SPAN_KIND_CLIENT,
    attributes: { 'gen_ai.system': system, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, 'rx_responses.service': service },
  });
}

/** A function call's span, a child of its response's (`execute_tool {name}`). */
export function startToolSpan(tracer: TracerLike, name: string, toolCallId: string, parent: SpanLike | undefined): SpanLike {
  const api = otel();
  const context = parent && api ? api.trace.setSpan(api.context.active(), parent) : undefined;
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
