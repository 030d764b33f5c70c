import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Maps each source value to zero or more values pushed straight downstream (stages use it for per-frame rules). A
 * `filter` + `mergeMap` to arrays would build an array and an inner subscription per value, and a subscriber per step;
 * this keeps a token's cost to the frame it makes, and a stage's to one subscriber.
 */
export function emitEach<T, R = T>(map: (value: T, emit: (value: R) => void) => void): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      // One sink per subscription, made once rather than per value.
      const emit = (value: R) => subscriber.next(value);
      return source.subscribe({
        next: (value) => {
          try {
            map(value, emit);
          } catch (error) {
            // A value the mapping cannot read (e.g. a JSON `null` event) fails this stream, not the process.
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
