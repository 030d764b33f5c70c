import { defer, retry, throwError, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { LLMRequestError, LLMStreamError, LLMTimeoutError, type RxResponsesError } from '../errors';

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
  // An HTTP failure, or the same failure reported inside the stream before any output (a rate limit, an overload).
  if (!(error instanceof LLMRequestError || error instanceof LLMStreamError) || !error.retryable || attempt > policy.maxRetries) return undefined;
  if (error.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), policy.maxRetryAfterMs);
  const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(backoff * (1 - (policy.random ?? Math.random)() * 0.25));
}

/**
 * The retry decision for a request that failed with `error` after `retries` retries (pure): the milliseconds to wait
 * before trying again, or undefined to give up. Failed requests (typed with `toError`) up to `maxRetries`; a timeout
 * once, with `retryOnTimeout`, as the first retry of the request.
 */
export function retryDecider(policy: RetryPolicy, toError: (error: unknown) => RxResponsesError): (error: unknown, retries: number) => number | undefined {
  return (error, retries) => {
    if (error instanceof LLMTimeoutError) return policy.retryOnTimeout && retries === 0 ? 0 : undefined;
    return retryDelayMs(toError(error), retries + 1, policy);
  };
}

/** Retries a request Observable per the policy, waiting on its scheduler; the final failure goes on as it was thrown. */
export function retryRequests<T>(policy: RetryPolicy, toError: (error: unknown) => RxResponsesError): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      const decide = retryDecider(policy, toError);
      return source.pipe(
        retry({
          delay: (error: unknown, retryCount: number) => {
            const wait = decide(error, retryCount - 1);
            return wait === undefined ? throwError(() => error) : timer(wait, policy.scheduler);
          },
        }),
      );
    });
}
