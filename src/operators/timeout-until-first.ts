import { Observable, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/** Options of `timeoutUntilFirst`. */
export interface TimeoutUntilFirstConfig<T> {
  /** The deadline, in milliseconds after subscription. */
  readonly ms: number;
  /** Where the deadline is scheduled (a TestScheduler gives virtual time). */
  readonly scheduler: SchedulerLike;
  /** Which value meets the deadline (values before it pass through but do not stop the clock). */
  readonly isFirst: (value: T) => boolean;
  /** The error raised when the deadline passes. */
  readonly error: () => Error;
}

/**
 * Errors (and unsubscribes the source) unless a value matching `isFirst` arrives within `ms`. Unlike `timeout`,
 * earlier values that do not match (e.g. `response.created`) pass through without stopping the clock.
 */
export function timeoutUntilFirst<T>(config: TimeoutUntilFirstConfig<T>): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      // The pending deadline: cancelled by the first matching value; torn down with the subscription.
      const deadline = config.scheduler.schedule(() => subscriber.error(config.error()), config.ms);
      subscriber.add(deadline);
      subscriber.add(
        source.subscribe({
          next: (value) => {
            if (!deadline.closed && config.isFirst(value)) deadline.unsubscribe();
            subscriber.next(value);
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
    });
}
