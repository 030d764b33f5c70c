import type { SchedulerLike } from 'rxjs';
import type { ServiceEventArgs, ServiceEventName } from './events';
import type { RegisteredFunction } from './function-calls/function-registry';
import { defaultFunctionErrorMessage } from './function-calls/run-call';
import type { ItemHandlers } from './output-items/item-handlers';
import type { LLMProvider } from './provider';
import type { Redactor } from './redactor';
import type { SessionSettings } from './session-settings';
import { retryDecider, type RetryPolicy } from './retry';
import { DEFAULT_COMPLETION_TIMEOUT_MS, type LLMServiceOptions } from './service-options';
import { genAIMetrics } from './tracing';
import { responseTiming, type TurnCore } from './turn-core';

/** What a service builds its turn core from: its parts, read at each use where they can change (settings, credentials). */
export interface ServiceCoreParts<Event, Settings extends { readonly model: string }> {
  readonly llm: unknown;
  readonly name: string;
  readonly provider: LLMProvider<Event, Settings>;
  readonly settings: (session?: SessionSettings) => Settings;
  readonly updateSession: (session: SessionSettings, delta: object) => void;
  readonly scheduler: SchedulerLike;
  readonly options: LLMServiceOptions<unknown>;
  readonly retryPolicy: RetryPolicy;
  readonly redactor: () => Redactor;
  readonly lookup: (name: string) => RegisteredFunction<unknown> | undefined;
  readonly items: ItemHandlers;
  readonly emit: <K extends ServiceEventName>(name: K, ...args: ServiceEventArgs[K]) => void;
}

/** A service's turn core: its provider, settings, limits, handlers and events, built once (see `TurnCore`). */
export function buildServiceCore<Event, Settings extends { readonly model: string }>(parts: ServiceCoreParts<Event, Settings>): TurnCore<Event, Settings> {
  const { options, provider, scheduler, emit, redactor } = parts;
  const completionMs = options.completionTimeoutMs ?? DEFAULT_COMPLETION_TIMEOUT_MS;
  const timeouts = { completionMs: Number.isFinite(completionMs) ? completionMs : undefined, stallMs: options.streamStallTimeoutMs };
  const retryDelay = retryDecider(parts.retryPolicy, (error) => provider.toError(error));
  const timedOut = () => emit('completionTimeout');
  const redactFrame: TurnCore['functionCalls']['redactFrame'] = (frame) => redactor().frame(frame);
  return {
    name: parts.name,
    provider,
    settings: parts.settings,
    updateSession: parts.updateSession,
    scheduler,
    timeouts,
    timedOut,
    ...responseTiming<Event>(scheduler, timeouts, retryDelay, timedOut),
    redactor,
    tracer: options.tracer,
    metrics: options.meter ? genAIMetrics(options.meter) : undefined,
    maxFunctionCallRounds: options.maxFunctionCallRounds ?? 10,
    emptyResponseRetries: options.emptyResponseRetries ?? 1,
    emptyResponse: (willRetry) => emit('emptyResponse', willRetry),
    functionCalls: {
      llm: parts.llm,
      lookup: parts.lookup,
      runInParallel: options.runInParallel ?? true,
      timeoutMs: options.functionCallTimeoutMs,
      scheduler,
      onStarted: (calls) => emit('functionCallsStarted', calls),
      redact: (text) => redactor().text(text),
      redactFrame,
      tracer: options.tracer,
      errorMessage: options.functionErrorMessage ?? defaultFunctionErrorMessage,
    },
    outputItems: parts.items.answerDeps({
      approvalRequested: (request) => emit('mcpApprovalRequest', request),
      unhandled: (type, item) => emit('unhandledOutputItem', type, item),
      redactFrame,
      redact: (text) => redactor().text(text),
    }),
  };
}
