import { Observable, type OperatorFunction } from 'rxjs';
import type { Frame } from '../frames';

/** Receives frames, in order. */
export type FrameSink = (frame: Frame) => void;

/**
 * Maps each source value to zero or more frames pushed straight downstream (stages use it for per-frame rules). A `mergeMap` to arrays would build an
 * array and an inner subscription per token; this keeps a token's cost to the frame it makes.
 */
export function emitFrames<T>(map: (value: T, emit: FrameSink) => void): OperatorFunction<T, Frame> {
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
