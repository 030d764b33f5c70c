import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Mirrors the source, then, once it completes, the Observable `next()` returns (made only then). The same as
 * `concat(source, defer(next))` with one subscriber instead of the half dozen `concat` keeps per subscription.
 */
export function followedBy<T, R = T>(next: () => Observable<R>): OperatorFunction<T, T | R> {
  return (source) =>
    new Observable<T | R>((subscriber) =>
      // The follower subscribes with `subscriber` itself, so its teardown ends with it; unsubscribing stops either.
      source.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          try {
            next().subscribe(subscriber);
          } catch (error) {
            subscriber.error(error);
          }
        },
      }),
    );
}
