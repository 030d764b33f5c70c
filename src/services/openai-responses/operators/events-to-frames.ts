import { Observable, type OperatorFunction } from 'rxjs';
import type { Frame } from '../../../frames';
import type { FrameSink } from '../frames-from-events';

/**
 * Maps each source value to zero or more frames pushed straight downstream. A `mergeMap` to arrays would build an
 * array and an inner subscription per token; this keeps a token's cost to the frame it makes.
 */
export function eventsToFrames<T>(map: (value: T, emit: FrameSink) => void): OperatorFunction<T, Frame> {
  return (source) =>
    new Observable<Frame>((subscriber) => {
      // One sink per subscription, made once rather than per event.
      const emit: FrameSink = (frame) => subscriber.next(frame);
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
