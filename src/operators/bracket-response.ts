import { Observable, type OperatorFunction } from 'rxjs';
import type { Frame } from '../frames';
import type { FrameSink } from './emit-each';

/** What `bracketResponse` does at each point of one response. */
export interface BracketResponseConfig<T> {
  /** The opening frames, emitted at subscription. */
  readonly start: (emit: FrameSink) => void;
  /** The frames an event makes; returns true when the event ended the response (a terminal event): the rest is not read. */
  readonly onEvent: (event: T, emit: FrameSink) => boolean;
  /** The frame a failure becomes (the source's error, or a throw from `onEvent`). */
  readonly onError: (error: unknown) => Frame;
  /** The closing frames, emitted once the events end either way. */
  readonly onEnd: (emit: FrameSink) => void;
}

/**
 * One response as frames: the opening frame, the frames of each event, a failure as a frame, then the closing frames.
 * It ends at the event `onEvent` calls the last (unsubscribing the source, which releases the request), at the source's
 * end, or at its error; it never errors. One subscriber does what `concat(of(start), events.pipe(map…, catchError…), defer(end))` would do
 * with a dozen, which matters with a thousand sessions open.
 */
export function bracketResponse<T>(config: BracketResponseConfig<T>): OperatorFunction<T, Frame> {
  return (source) =>
    new Observable<Frame>((subscriber) => {
      const emit: FrameSink = (frame) => subscriber.next(frame);
      // Whether the response ended (events done, failed, or a frame could not be made): later events are ignored.
      let ended = false;
      const end = (error?: unknown) => {
        if (ended) return;
        ended = true;
        if (error !== undefined) emit(config.onError(error));
        config.onEnd(emit);
        // Completing tears down the events' subscription too (returned below): later events cannot arrive.
        subscriber.complete();
      };
      config.start(emit);
      return source.subscribe({
        next: (event) => {
          if (ended) return;
          try {
            if (config.onEvent(event, emit)) end();
          } catch (error) {
            end(error ?? new Error('unreadable event'));
          }
        },
        error: (error: unknown) => end(error ?? new Error('stream failed')),
        complete: () => end(),
      });
    });
}
