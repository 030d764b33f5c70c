import { Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';

/** How `retryBeforeOutput` tries its source: a deadline for the first output, and retries while no output went out. */
export interface OutputAttempts<T> {
  /** Where the deadline and the waits run (a TestScheduler gives virtual time); unsubscribing cancels them. */
  readonly scheduler: SchedulerLike;
  /** Each attempt fails unless a value matching `isOutput` arrives within this many milliseconds; none when undefined. */
  readonly deadlineMs: number | undefined;
  /** Whether a value is output: once one went downstream, no retry is made (it would repeat what was seen). */
  readonly isOutput: (value: T) => boolean;
  /** The error a missed deadline raises. */
  readonly deadlineError: () => Error;
  /** Milliseconds to wait before subscribing the source again after `error` (`retries` made so far), or undefined to give up. */
  readonly retryDelay: (error: unknown, retries: number) => number | undefined;
}

/**
 * Mirrors the source, subscribing it again after a failure for as long as no output went out and `retryDelay` allows,
 * and failing an attempt whose first output misses the deadline. The same as `timeout({ first })` + `retry({ delay })`
 * gated on the first output, with one subscriber instead of half a dozen per response.
 * @example events$.pipe(retryBeforeOutput({ scheduler, deadlineMs: 30_000, isOutput, deadlineError, retryDelay }))
 */
export function retryBeforeOutput<T>(attempts: OutputAttempts<T>): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      // The attempt in flight, its first-output deadline, and the wait before the next attempt; all ended on teardown.
      let attempt: Subscription | undefined;
      let deadline: Subscription | undefined;
      let wait: Subscription | undefined;
      // Whether output went downstream: from then on a failure is passed on (a retry would repeat values).
      let started = false;
      // The current attempt's number (retries made: current - 1); callbacks of an older attempt are ignored.
      let current = 0;
      const fail = (error: unknown, number: number) => {
        if (number !== current) return;
        deadline?.unsubscribe();
        attempt?.unsubscribe();
        const delay = started ? undefined : attempts.retryDelay(error, current - 1);
        if (delay === undefined) subscriber.error(error);
        else wait = attempts.scheduler.schedule(run, delay);
      };
      const run = () => {
        const number = ++current;
        if (attempts.deadlineMs !== undefined) deadline = attempts.scheduler.schedule(() => fail(attempts.deadlineError(), number), attempts.deadlineMs);
        attempt = source.subscribe({
          next: (value) => {
            if (number !== current) return;
            if (!started && attempts.isOutput(value)) {
              started = true;
              // Let go of the cancelled deadline: an open session should not hold it for the rest of the response.
              deadline?.unsubscribe();
              deadline = undefined;
            }
            subscriber.next(value);
          },
          error: (error: unknown) => fail(error, number),
          complete: () => {
            if (number === current) subscriber.complete();
          },
        });
        // An attempt that ended while it subscribed (a synchronous failure) is dropped at once.
        if (number !== current) attempt.unsubscribe();
      };
      run();
      return () => {
        current = -1;
        deadline?.unsubscribe();
        wait?.unsubscribe();
        attempt?.unsubscribe();
      };
    });
}
