import { Observable, Subscription, type OperatorFunction, type TeardownLogic } from 'rxjs';

/** What a stage can do from outside its source, once subscribed (see `PassOrSwitchHooks.connect`). */
export interface PassOrSwitchControls<C, R> {
  /** Sends a value downstream. */
  readonly pass: (value: R) => void;
  /** Switches to a command, as a source value routed to it would. */
  readonly switchTo: (command: C) => void;
  /** Ties a teardown to the stage's subscription (it runs when the stage is unsubscribed or ends). */
  readonly add: (teardown: TeardownLogic) => void;
}

/** Optional hooks of `passOrSwitch`. */
export interface PassOrSwitchHooks<C, R> {
  /** Called once at subscription with the stage's controls, for values that come from elsewhere than the source. */
  readonly connect?: (controls: PassOrSwitchControls<C, R>) => void;
  /** Called when the running inner completes: the stage is idle until the next command (it may send one). */
  readonly idle?: () => void;
}

/**
 * What `passOrSwitch` does with one source value: nothing, `pass` values straight downstream, and/or `switchTo` a
 * command (which cancels the running inner and starts the one `project` makes of it).
 */
export type PassOrSwitchRoute<T, C, R> = (value: T, pass: (value: R) => void, switchTo: (command: C) => void) => void;

/**
 * `switchMap` for the source values `route` turns into commands, while the values it passes go straight downstream.
 * The same as `connect((v$) => merge(v$.pipe(passed), v$.pipe(commands, switchMap(project))))`, with one subscriber
 * on the source and one per inner instead of a Subject and a dozen subscribers: a stage's idle cost, which a host
 * with a thousand open sessions pays a thousand times. Completes when the source has and no inner runs; errors
 * when the source, an inner, `route` or `project` does.
 * @example
 * // Words pass through; each "!" restarts a countdown.
 * words$.pipe(passOrSwitch((word, pass, switchTo) => (word === '!' ? switchTo(3) : pass(word)), (n) => timer(0, 100).pipe(take(n), map(String))));
 */
export function passOrSwitch<T, C, R>(route: PassOrSwitchRoute<T, C, R>, project: (command: C) => Observable<R>, hooks: PassOrSwitchHooks<C, R> = {}): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      // The latest inner's subscription (closed once it completed or was replaced).
      let inner: Subscription | undefined;
      // How many commands came so far: an inner whose number is older was replaced, and stays silent.
      let latest = 0;
      // Whether the source completed: we complete only when it has and no inner runs.
      let sourceDone = false;
      const pass = (value: R) => subscriber.next(value);
      const switchTo = (command: C) => {
        inner?.unsubscribe();
        const turn = ++latest;
        const subscription = project(command).subscribe({
          next: (value) => {
            if (turn === latest) subscriber.next(value);
          },
          error: (error: unknown) => {
            if (turn === latest) subscriber.error(error);
          },
          complete: () => {
            if (turn !== latest) return;
            hooks.idle?.();
            // The idle hook may have switched to a new inner; only an idle stage whose source is done completes.
            if (turn === latest && sourceDone) subscriber.complete();
          },
        });
        // A command sent while this inner subscribed (a feedback loop) has replaced it already.
        if (turn === latest) inner = subscription;
        else subscription.unsubscribe();
      };
      hooks.connect?.({ pass, switchTo, add: (teardown) => subscriber.add(teardown) });
      const fromSource = source.subscribe({
        next: (value) => {
          try {
            route(value, pass, switchTo);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (!inner || inner.closed) subscriber.complete();
        },
      });
      return () => {
        fromSource.unsubscribe();
        inner?.unsubscribe();
      };
    });
}
