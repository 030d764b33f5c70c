import { Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Frame } from '../frames';
import type { FrameSink } from './emit-each';

/** How a response's source is tried: a deadline for its first output, and retries while no output went out. */
export interface ResponseAttempts<T> {
  /** Where the deadline and the waits run (a TestScheduler gives virtual time); unsubscribing cancels them. */
  readonly scheduler: SchedulerLike;
  /** Each attempt fails unless a value matching `isFirst` arrives within this many milliseconds; none when undefined. */
  readonly deadlineMs: number | undefined;
  /** Which event is the first output; once one came, no retry is made (its frames already went downstream). */
  readonly isFirst: (value: T) => boolean;
  /** The error a missed deadline raises. */
  readonly deadlineError: () => Error;
  /** Milliseconds to wait before subscribing the source again after `error` (`retries` made so far), or undefined to give up. */
  readonly retryDelay: (error: unknown, retries: number) => number | undefined;
}

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
  /** The deadline and retries of the source's attempts (each attempt subscribes the source anew); none when undefined. */
  readonly attempts?: ResponseAttempts<T> | undefined;
  /** Called at teardown, whether the response ended or was cancelled. */
  readonly teardown?: () => void;
}

/**
 * One response as frames: the opening frame, the frames of each event, a failure as a frame, then the closing frames.
 * It ends at the event `onEvent` calls the last (unsubscribing the source, which releases the request), at the source's
 * end, or at its error once no retry is left; it never errors. One subscriber does what `concat(of(start),
 * events.pipe(timeoutUntilFirst, retry, map…, catchError…), defer(end))` would do with a dozen, which matters with a
 * thousand sessions open.
 */
export function bracketResponse<T>(config: BracketResponseConfig<T>): OperatorFunction<T, Frame> {
  return (source) =>
    new Observable<Frame>((subscriber) => {
      const emit: FrameSink = (frame) => subscriber.next(frame);
      const { attempts } = config;
      // The attempt in flight, its first-output deadline, and the wait before the next attempt; all ended on teardown.
      let attempt: Subscription | undefined;
      let deadline: Subscription | undefined;
      let wait: Subscription | undefined;
      // Whether the first output came: from then on a failure ends the response (a retry would repeat frames).
      let started = false;
      // The current attempt's number (retries made: current - 1); callbacks of an older attempt are ignored. -1 once ended.
      let current = 0;
      const end = (error?: unknown) => {
        if (current < 0) return;
        current = -1;
        if (error !== undefined) emit(config.onError(error));
        config.onEnd(emit);
        // Completing runs the teardown below: the attempt is unsubscribed, later events cannot arrive.
        subscriber.complete();
      };
      const fail = (error: unknown, number: number) => {
        if (number !== current) return;
        deadline?.unsubscribe();
        attempt?.unsubscribe();
        const delay = started || !attempts ? undefined : attempts.retryDelay(error, current - 1);
        if (delay === undefined) end(error ?? new Error('stream failed'));
        else wait = attempts!.scheduler.schedule(run, delay);
      };
      const run = () => {
        const number = ++current;
        if (attempts?.deadlineMs !== undefined) deadline = attempts.scheduler.schedule(() => fail(attempts.deadlineError(), number), attempts.deadlineMs);
        attempt = source.subscribe({
          next: (event) => {
            if (number !== current) return;
            if (!started && attempts?.isFirst(event)) {
              started = true;
              // Let go of the cancelled deadline: an open session should not hold it for the rest of the response.
              deadline?.unsubscribe();
              deadline = undefined;
            }
            try {
              if (config.onEvent(event, emit)) end();
            } catch (error) {
              end(error ?? new Error('unreadable event'));
            }
          },
          error: (error: unknown) => fail(error, number),
          complete: () => {
            if (number === current) end();
          },
        });
        // An attempt that ended while it subscribed (a synchronous error or end) is dropped at once.
        if (number !== current) attempt.unsubscribe();
      };
      config.start(emit);
      run();
      return () => {
        current = -1;
        deadline?.unsubscribe();
        wait?.unsubscribe();
        attempt?.unsubscribe();
        config.teardown?.();
      };
    });
}
