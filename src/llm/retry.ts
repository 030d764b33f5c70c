import { retry, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { LLMRequestError, LLMTimeoutError, type RxResponsesError } from '../errors';

/** How a service retries a request that failed before any output. */
export interface RetryPolicy {
  /** Retries of a failed request (408, 409, 429, 5xx, no connection). */
  readonly maxRetries: number;
  /** The longest `retry-after` honoured; a server asking for more gets this. */
  readonly maxRetryAfterMs: number;
  /** Re-issue once a request that timed out before any output. */
  readonly retryOnTimeout: boolean;
  /** Where the waits run (a TestScheduler gives virtual time); unsubscribing cancels them. */
  readonly scheduler: SchedulerLike;
  /** 0 to 1, for the jitter (default `Math.random`). */
  readonly random?: () => number;
}

/** The first backoff, and the longest, when the server says nothing (as the openai SDK's defaults). */
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8000;

/**
 * How long to wait before retry number `attempt` (1, 2, …) of a request that failed with `error`, or undefined when it
 * must not be retried (pure): the server's `retry-after` up to the cap, else exponential backoff with up to 25% jitter.
 */
export function retryDelayMs(error: RxResponsesError, attempt: number, policy: Pick<RetryPolicy, 'maxRetries' | 'maxRetryAfterMs' | 'random'>): number | undefined {
  if (!(error instanceof LLMRequestError) || !error.retryable || attempt > policy.maxRetries) return undefined;
  if (error.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), policy.maxRetryAfterMs);
  const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(backoff * (1 - (policy.random ?? Math.random)() * 0.25));
}

/**
 * Retries a request Observable per the policy, waiting on its scheduler: failed requests (typed with `toError`) up to
 * `maxRetries`, a timeout once with `retryOnTimeout`. Never once `started()` says output went out: a retry would then
 * duplicate frames. The final failure goes on as it was thrown.
 */
export function retryRequests<T>(policy: RetryPolicy, toError: (error: unknown) => RxResponsesError, started: () => boolean = () => false): MonoTypeOperatorFunction<T> {
  return (source) => {
    // Retries so far, of each kind.
    let requestRetries = 0;
    let timeoutRetries = 0;
    return source.pipe(
      retry({
        delay: (error: unknown) => {
          if (started()) return throwError(() => error);
          if (error instanceof LLMTimeoutError) {
            return policy.retryOnTimeout && timeoutRetries++ === 0 ? timer(0, policy.scheduler) : throwError(() => error);
          }
          const wait = retryDelayMs(toError(error), requestRetries + 1, policy);
          if (wait === undefined) return throwError(() => error);
          requestRetries++;
          return timer(wait, policy.scheduler);
        },
      }),
    );
  };
}
