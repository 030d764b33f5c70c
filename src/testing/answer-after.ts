import { map, timer, type Observable, type SchedulerLike } from 'rxjs';

/**
 * A handler's answer `ms` later on the scheduler's clock: the stand-in for a Promise in a marble test (a Promise cannot
 * resolve in virtual time: the `TestScheduler` does not drive microtasks). Inside `TestScheduler.run` the default
 * scheduler is the virtual one; give `scheduler` elsewhere.
 * @example llm.registerFunction('get_weather', () => answerAfter(3, { forecast: 'sunny' }));
 */
export function answerAfter<T>(ms: number, value: T | (() => T), scheduler?: SchedulerLike): Observable<T> {
  return timer(ms, scheduler).pipe(map(() => (typeof value === 'function' ? (value as () => T)() : value)));
}
