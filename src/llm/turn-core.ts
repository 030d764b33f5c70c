import { identity, throwError, timeout, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { LLMTimeoutError } from '../errors/errors';
import type { OutputAttempts } from './response-request';
import type { FunctionCallDeps } from './function-calls/run-call';
import type { ItemAnswerDeps } from './output-items/answer-items';
import type { LLMProvider } from './provider';
import type { SessionSettings } from './session-settings';
import type { Redactor } from './redactor';
import type { GenAIMetrics, TracerLike } from './tracing';

/** The deadlines of one response; each only when set. */
export interface ResponseTimeouts {
  /** Milliseconds allowed until the first output event (from the request; so it covers a server that sends no headers). */
  readonly completionMs: number | undefined;
  /** Milliseconds allowed between two events. */
  readonly stallMs: number | undefined;
}

/**
 * Everything a turn runs on, built once per service (or switcher): the provider, the settings in force, and the
 * service's limits, handlers and redactor. A turn then costs only its own state.
 */
export interface TurnCore<Event = unknown, Settings extends { readonly model: string } = { readonly model: string }> {
  /** The service's name in metrics and spans. */
  readonly name: string;
  /** How requests are made and events read. */
  readonly provider: LLMProvider<Event, Settings>;
  /** The settings in force when a response starts: the service's, with the session's own deltas over them when given. */
  settings(session?: SessionSettings): Settings;
  /** Merges a settings delta into one session (throws a `SettingsValidationError`, redacted, on bad input). */
  updateSession(session: SessionSettings, delta: object): void;
  /** The clock of metrics and deadlines. */
  readonly scheduler: SchedulerLike;
  /** The deadlines of each response. */
  readonly timeouts: ResponseTimeouts;
  /** Told of every timeout, before any retry (the `completionTimeout` event). */
  timedOut(): void;
  /** The first-output deadline and the retries of each response's request (built from the above). */
  readonly attempts: OutputAttempts;
  /** The stall limit between two events (identity when none). */
  readonly stall: MonoTypeOperatorFunction<Event>;
  /** The redactor of the service's credentials now: what leaves the library goes through it. */
  redactor(): Redactor;
  /** Where a span per response goes, when tracing. */
  readonly tracer: TracerLike | undefined;
  /** The GenAI client metrics, when the app gave a meter. */
  readonly metrics: GenAIMetrics | undefined;
  /** How many times a response that completed empty is asked again. */
  readonly emptyResponseRetries: number;
  /** Told of every empty response (the `emptyResponse` event). */
  emptyResponse(willRetry: boolean): void;
  /** How many follow-up responses one turn may run. */
  readonly maxFunctionCallRounds: number;
  /** How function calls run. */
  readonly functionCalls: FunctionCallDeps<unknown>;
  /** How the items a response leaves to the app (approvals, client-executed tools) are answered. */
  readonly outputItems: ItemAnswerDeps;
}

/** The timing parts of a core: the stall limit and the attempts, with `timedOut` told of every timeout before any retry. */
export function responseTiming<Event>(
  scheduler: SchedulerLike,
  timeouts: ResponseTimeouts,
  retryDelay: (error: unknown, retries: number) => number | undefined,
  timedOut: () => void,
): Pick<TurnCore<Event>, 'attempts' | 'stall'> {
  const timeoutError = (message: string) => {
    timedOut();
    return new LLMTimeoutError(message);
  };
  const { completionMs, stallMs } = timeouts;
  const stall: MonoTypeOperatorFunction<Event> =
    stallMs === undefined ? identity : timeout({ each: stallMs, scheduler, with: () => throwError(() => timeoutError(`LLM completion timeout: no event for ${stallMs} ms (streamStallTimeoutMs)`)) });
  const deadlineError = () => timeoutError(`LLM completion timeout: no output within ${completionMs} ms (completionTimeoutMs)`);
  return { stall, attempts: { scheduler, deadlineMs: completionMs, deadlineError, retryDelay } };
}
