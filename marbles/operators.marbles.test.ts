import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ResponseRequest, type OutputAttempts } from '../src/llm/response-request';
import { followedBy } from '../src/operators/followed-by';

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

describe('a response\'s request: its attempts (ResponseRequest)', () => {
  /**
   * The request as an Observable, its bracket reduced to passing events on: `p` is a preamble; any other letter is
   * output (the bracket reports the first one). No first-output deadline unless given.
   */
  function attempts(scheduler: TestScheduler, given: Partial<OutputAttempts> = {}): MonoTypeOperatorFunction<string> {
    const rules: OutputAttempts = { scheduler, deadlineMs: undefined, deadlineError: () => new Error('late'), retryDelay: () => undefined, ...given };
    const isOutput = (value: string) => value !== 'p';
    return (source) =>
      new Observable<string>((subscriber) => {
        const request: ResponseRequest<string> = new ResponseRequest(source, rules, {
          onEvent: (event) => {
            if (isOutput(event)) request.outputStarted();
            subscriber.next(event);
          },
          onEventsEnded: (failure) => (failure === undefined ? subscriber.complete() : subscriber.error(failure)),
        });
        request.start();
        return () => request.letGo();
      });
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
