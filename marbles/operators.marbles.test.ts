import { type MonoTypeOperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { followedBy } from '../src/operators/followed-by';
import { retryBeforeOutput, type OutputAttempts } from '../src/operators/retry-before-output';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('followedBy', () => {
  it('mirrors the source, then subscribes to the follower only once the source completed', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const follower = cold('-x|');
      let made = 0;
      const output = cold('-a-b|').pipe(
        followedBy(() => {
          made += 1;
          return follower;
        }),
      );
      expectObservable(output).toBe('-a-b-x|');
      expectSubscriptions(follower.subscriptions).toBe('----^-!');
      expect(made).toBe(0);
    });
  });

  it('never makes the follower when the source errors, and unsubscribing stops whichever runs', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const follower = cold('-x-y|');
      expectObservable(cold('-a#').pipe(followedBy(() => follower))).toBe('-a#');
      const source = cold('-a|');
      expectObservable(source.pipe(followedBy(() => follower)), '^---!').toBe('-a-x');
      expectSubscriptions(source.subscriptions).toBe('^-!');
      expectSubscriptions(follower.subscriptions).toBe('--^-!');
    });
  });
});

describe('retryBeforeOutput', () => {
  /** `p` is a preamble; any other letter is output. The first-output deadline is 4 frames unless given. */
  function attempts(scheduler: TestScheduler, given: Partial<OutputAttempts<string>> = {}): MonoTypeOperatorFunction<string> {
    return retryBeforeOutput({ scheduler, deadlineMs: undefined, isOutput: (value) => value !== 'p', deadlineError: () => new Error('late'), retryDelay: () => undefined, ...given });
  }

  it('mirrors the source: its values, its end, its error when no retry is allowed', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-z|').pipe(attempts(scheduler))).toBe('-a-z|');
      expectObservable(cold('-a#').pipe(attempts(scheduler))).toBe('-a#');
    });
  });

  it('the first-output deadline fails the attempt; values that are not output pass without stopping it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('p-----a|');
      expectObservable(slow.pipe(attempts(scheduler, { deadlineMs: 4 }))).toBe('p---#', undefined, new Error('late'));
      expectSubscriptions(slow.subscriptions).toBe('^---!');
      expectObservable(cold('p----a----b|').pipe(attempts(scheduler, { deadlineMs: 8 }))).toBe('p----a----b|');
    });
  });

  it('retries after the delay it is given, each attempt with its own deadline, and gives up when told', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#');
      const retries: number[] = [];
      const retryDelay = (_error: unknown, made: number) => (retries.push(made), made === 0 ? 2 : undefined);
      expectObservable(failing.pipe(attempts(scheduler, { retryDelay }))).toBe('----#');
      expectSubscriptions(failing.subscriptions).toBe(['^!', '---^!']);
      scheduler.flush();
      expect(retries).toEqual([0, 1]);
    });
  });

  it('never retries once output went out', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const broken = cold('-a#');
      expectObservable(broken.pipe(attempts(scheduler, { retryDelay: () => 1 }))).toBe('-a#');
      expectSubscriptions(broken.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribing cancels the attempt, the deadline and a pending wait: nothing stays scheduled', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('#');
      expectObservable(failing.pipe(attempts(scheduler, { retryDelay: () => 10, deadlineMs: 4 })), '--!').toBe('--');
      expectSubscriptions(failing.subscriptions).toBe('(^!)');
    });
    expect(scheduler.actions).toEqual([]);
  });
});
