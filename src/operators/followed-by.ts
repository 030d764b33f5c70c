import { Observable, Subscription, type OperatorFunction } from 'rxjs';

/**
 * Mirrors the source, then, once it completes, the Observable `next()` returns (made only then). The same as
 * `concat(source, defer(next))` with one subscriber instead of the half dozen `concat` keeps per subscription.
 */
export function followedBy<T, R = T>(next: () => Observable<R>): OperatorFunction<T, T | R> {
  return (source) =>
    new Observable<T | R>((subscriber) => {
      // The source's subscription, then the follower's: unsubscribing stops whichever runs.
      const running = new Subscription();
      running.add(
        source.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            try {
              running.add(next().subscribe(subscriber));
            } catch (error) {
              subscriber.error(error);
            }
          },
        }),
      );
      return running;
    });
}
