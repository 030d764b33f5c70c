import { z } from 'zod/v4';
import type { SchedulerLike } from 'rxjs';
import type { FunctionCallFromLLM } from '../frames';
import type { MeterLike, TracerLike } from './tracing';
import type { FieldRules } from '../runtime/validation';

/** Where a service (and the client it builds) writes warnings and errors; `console` fits. */
export interface ServiceLogger {
  /** A warning, e.g. a setting that has no effect. */
  warn(message: string, ...details: unknown[]): void;
  /** An error, e.g. a client's log of malformed stream data. */
  error(message: string, ...details: unknown[]): void;
}

/** Options every LLM service takes, whatever its provider. */
export interface LLMServiceOptions<Settings = unknown> {
  /**
   * Initial settings, from the service's `Settings(...)` function (or a plain object, validated here).
   * @default the service's default settings
   */
  readonly settings?: Settings | undefined;
  /**
   * The clock and timers of metrics, deadlines, retries and handler timeouts; a `TestScheduler` gives virtual time.
   * @default asyncScheduler
   */
  readonly scheduler?: SchedulerLike | undefined;
  /**
   * Name used in metrics, spans and logs.
   * @default the class name and a number, e.g. OpenAIResponsesLLMService#0
   */
  readonly name?: string | undefined;
  /**
   * Where warnings go (the SDK's log lines too), each flattened to one line and redacted first.
   * @default console
   */
  readonly logger?: ServiceLogger | undefined;
  /**
   * Run the function calls of one response at once (true) or one after another (false).
   * @default true
   */
  readonly runInParallel?: boolean | undefined;
  /**
   * How many times one turn may run the model again with function results. When the model still asks for calls after
   * that many, their handlers run and the turn ends with an ErrorFrame (`FunctionCallLimitError`).
   * @default 10
   */
  readonly maxFunctionCallRounds?: number | undefined;
  /**
   * Default per-call handler timeout in milliseconds; `registerFunction` can override it.
   * @default none
   */
  readonly functionCallTimeoutMs?: number | undefined;
  /**
   * Abort a response whose first output has not arrived within this many milliseconds of the request (it covers a
   * server that never sends headers too). `Infinity` turns it off.
   * @default 30000
   */
  readonly completionTimeoutMs?: number | undefined;
  /**
   * Abort a response when no event arrives for this many milliseconds mid-stream.
   * @default none
   */
  readonly streamStallTimeoutMs?: number | undefined;
  /**
   * Re-issue a request once when it timed out before any output.
   * @default false
   */
  readonly retryOnTimeout?: boolean | undefined;
  /**
   * How often a request that failed before any output is retried: 408/409/429/5xx and connection errors.
   * @default 2
   */
  readonly maxRetries?: number | undefined;
  /**
   * The longest `retry-after` honoured, in milliseconds: a server asking for more waits this long.
   * @default 20000
   */
  readonly maxRetryAfterMs?: number | undefined;
  /**
   * An OpenTelemetry tracer (`trace.getTracer('my-app')` from `@opentelemetry/api`, an optional peer): one span per
   * response after the GenAI semantic conventions, a child span per function call, errors recorded. No tracer, no cost.
   * @default none
   */
  readonly tracer?: TracerLike | undefined;
  /**
   * An OpenTelemetry meter (`metrics.getMeter('my-app')` from `@opentelemetry/api`): the GenAI client metrics
   * `gen_ai.client.token.usage` and `gen_ai.client.operation.duration`, per response. No meter, no cost.
   * @default none
   */
  readonly meter?: MeterLike | undefined;
  /**
   * Open the connection to the API when the operator is subscribed (a call answered, a page opened), so the first
   * request finds it warm instead of paying the TCP and TLS handshakes; no billed request, no credential sent. A warm-up
   * that fails is quiet: the first request connects as usual. `llm.warmUp()` does the same on demand.
   * @default false
   */
  readonly preconnect?: boolean | undefined;
  /**
   * What the model reads when a function's handler throws or rejects (the exception itself goes to the ErrorFrame, as
   * the `cause` of its `FunctionCallError`, never to the model: its text can name hosts, ids or tokens).
   * @default a text saying the function failed and returned no result
   * @example functionErrorMessage: (error, call) => `The booking system is down; ${call.functionName} did not run.`
   */
  readonly functionErrorMessage?: ((error: unknown, call: FunctionCallFromLLM) => string) | undefined;
  /**
   * How many times a response that completed with nothing for the user (no text, no refusal, no call; reasoning alone
   * is not an answer) is asked again, with the full input, before it becomes an ErrorFrame (`LLMEmptyResponseError`).
   * @default 1
   */
  readonly emptyResponseRetries?: number | undefined;
}

/** The first-output deadline when none is given. */
export const DEFAULT_COMPLETION_TIMEOUT_MS = 30_000;

const positiveMs = { schema: z.number().positive().finite(), allowed: 'a positive number of milliseconds' };
const positiveOrInfinity = { schema: z.union([z.number().positive(), z.literal(Infinity)]), allowed: 'a positive number of milliseconds, or Infinity for none' };
const isObject = (value: unknown) => typeof value === 'object' && value !== null;

/** The rules of the options every service takes (a bad one throws at construction, naming it). */
export const LLM_SERVICE_OPTION_RULES: FieldRules<Exclude<keyof LLMServiceOptions, 'settings'>> = {
  scheduler: { schema: z.custom<SchedulerLike>((value) => isObject(value) && typeof (value as SchedulerLike).schedule === 'function'), allowed: 'an RxJS SchedulerLike' },
  name: { schema: z.string().min(1), allowed: 'a non-empty string' },
  logger: {
    schema: z.custom<ServiceLogger>((value) => isObject(value) && typeof (value as ServiceLogger).warn === 'function' && typeof (value as ServiceLogger).error === 'function'),
    allowed: 'an object with warn() and error() (console fits)',
  },
  runInParallel: { schema: z.boolean(), allowed: 'a boolean' },
  maxFunctionCallRounds: { schema: z.number().int().min(1), allowed: 'an integer of 1 or more' },
  functionCallTimeoutMs: positiveMs,
  completionTimeoutMs: positiveOrInfinity,
  streamStallTimeoutMs: positiveMs,
  retryOnTimeout: { schema: z.boolean(), allowed: 'a boolean' },
  maxRetries: { schema: z.number().int().min(0), allowed: 'an integer of 0 or more' },
  maxRetryAfterMs: { schema: z.number().min(0).finite(), allowed: 'a number of milliseconds, 0 or more' },
  meter: { schema: z.custom<MeterLike>((value) => isObject(value) && typeof (value as MeterLike).createHistogram === 'function'), allowed: 'an OpenTelemetry Meter' },
  tracer: { schema: z.custom<TracerLike>((value) => isObject(value) && typeof (value as TracerLike).startSpan === 'function'), allowed: 'an OpenTelemetry Tracer' },
  preconnect: { schema: z.boolean(), allowed: 'a boolean' },
  emptyResponseRetries: { schema: z.number().int().min(0).max(10), allowed: 'an integer from 0 to 10' },
  functionErrorMessage: { schema: z.custom<(error: unknown, call: FunctionCallFromLLM) => string>((value) => typeof value === 'function'), allowed: 'a function (error, call) => string' },
};

/** The names of the options every service takes (`settings` included). */
export const LLM_SERVICE_OPTION_NAMES: readonly string[] = ['settings', ...Object.keys(LLM_SERVICE_OPTION_RULES)];
