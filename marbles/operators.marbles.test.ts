import { EMPTY, map, Observable, Subject, throwError, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ErrorFrame, LLMFullResponseEndFrame, LLMFullResponseStartFrame, TextFrame, type Frame } from '../src';
import { bracketResponse, type BracketResponseConfig, type ResponseAttempts } from '../src/operators/bracket-response';
import { followedBy } from '../src/operators/followed-by';
import { passOrSwitch, type PassOrSwitchRoute } from '../src/operators/pass-or-switch';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Lower-case letters pass; upper-case ones switch to the inner of that name. */
const letters: PassOrSwitchRoute<string, string, string> = (value, pass, switchTo) => {
  if (value === value.toUpperCase()) switchTo(value);
  else pass(value);
};

describe('passOrSwitch (the service routing: pass frames, switch turns)', () => {
  it('passes values straight through while an inner runs, and cancels the inner at the next command', () => {
    testScheduler().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const innerA = cold('-1-2-3-4|');
      const innerB = cold('-5|');
      const source = hot('A---x-B-y--|');
      expectObservable(source.pipe(passOrSwitch(letters, (name) => (name === 'A' ? innerA : innerB)))).toBe('-1-2x3-5y--|');
      expectSubscriptions(innerA.subscriptions).toBe('^-----!');
      expectSubscriptions(innerB.subscriptions).toBe('------^-!');
    });
  });

  it('completes only once the source has completed and the running inner has too', () => {
    testScheduler().run(({ hot, cold, expectObservable }) => {
      const inner = cold('---1---2|');
      expectObservable(hot('A-|').pipe(passOrSwitch(letters, () => inner))).toBe('---1---2|');
    });
  });

  it('completes with the source when the last inner already finished', () => {
    testScheduler().run(({ hot, cold, expectObservable }) => {
      const inner = cold('1|');
      expectObservable(hot('A---a-|').pipe(passOrSwitch(letters, () => inner))).toBe('1---a-|');
    });
  });

  it('unsubscribing downstream unsubscribes the source and the running inner', () => {
    testScheduler().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-1-2-3-4|');
      const source = hot('A-------|');
      expectObservable(source.pipe(passOrSwitch(letters, () => inner)), '^--!').toBe('-1-');
      expectSubscriptions(inner.subscriptions).toBe('^--!');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('errors (and unsubscribes the inner) when the source, an inner, route or project fails', () => {
    testScheduler().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const inner = cold('-1-2-3|');
      expectObservable(hot('A--#').pipe(passOrSwitch(letters, () => inner))).toBe('-1-#');
      expectSubscriptions(inner.subscriptions).toBe('^--!');
      expectObservable(hot('A-a').pipe(passOrSwitch(letters, () => throwError(() => 'inner')))).toBe('#', undefined, 'inner');
      const throwingRoute: PassOrSwitchRoute<string, string, string> = () => {
        throw new Error('route');
      };
      expectObservable(hot('-a').pipe(passOrSwitch(throwingRoute, () => EMPTY))).toBe('-#', undefined, new Error('route'));
      const throwingProject = (): Observable<string> => {
        throw new Error('project');
      };
      expectObservable(hot('--A').pipe(passOrSwitch(letters, throwingProject))).toBe('--#', undefined, new Error('project'));
    });
  });

  it('a command sent while an inner subscribes (a feedback loop) silences that inner and cancels it', () => {
    const input = new Subject<string>();
    const output: string[] = [];
    const cancelled: string[] = [];
    // Each inner emits `<name>0`; A's then sends B back into the source; then each emits `<name>1` and stays open.
    const project = (name: string) =>
      new Observable<string>((subscriber) => {
        subscriber.next(`${name.toLowerCase()}0`);
        if (name === 'A') input.next('B');
        subscriber.next(`${name.toLowerCase()}1`);
        return () => cancelled.push(name);
      });
    input.pipe(passOrSwitch(letters, project)).subscribe((value) => output.push(value));
    input.next('A');
    expect(output).toEqual(['a0', 'b0', 'b1']);
    expect(cancelled).toEqual(['A']);
  });
});

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

describe('bracketResponse', () => {
  /** Frames as strings for diagrams: S(tart), the event's value, E(nd), X for the error frame. */
  const labelled = (frame: Frame): string => (frame.type === 'TextFrame' ? frame.text : frame.type === 'ErrorFrame' ? 'X' : frame.type === 'LLMFullResponseStartFrame' ? 'S' : 'E');
  function bracket(scheduler: TestScheduler, attempts?: Partial<ResponseAttempts<string>>): OperatorFunction<string, string> {
    const config: BracketResponseConfig<string> = {
      start: (emit) => emit(new LLMFullResponseStartFrame()),
      onEvent: (event, emit) => {
        emit(new TextFrame({ text: event }));
        return event === 'z';
      },
      onError: (error) => new ErrorFrame({ error: String(error) }),
      onEnd: (emit) => emit(new LLMFullResponseEndFrame()),
      attempts: attempts && { scheduler, deadlineMs: 4, isFirst: (value) => value !== 'p', deadlineError: () => new Error('late'), retryDelay: () => undefined, ...attempts },
    };
    return (source) => source.pipe(bracketResponse(config), map(labelled));
  }

  it('brackets the events, and ends at the event onEvent calls the last, releasing the source', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const events = cold('-a-z-b|');
      expectObservable(events.pipe(bracket(scheduler))).toBe('Sa-(zE|)');
      expectSubscriptions(events.subscriptions).toBe('^--!');
    });
  });

  it('a failure becomes the error frame inside the brackets; it never errors', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a#').pipe(bracket(scheduler))).toBe('Sa(XE|)');
    });
  });

  it('the first-output deadline ends the response; values that are not first output pass without stopping it', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('p-----a|');
      expectObservable(slow.pipe(bracket(scheduler, {}))).toBe('(Sp)(XE|)');
      expectSubscriptions(slow.subscriptions).toBe('^---!');
      expectObservable(cold('p----a----b|').pipe(bracket(scheduler, { deadlineMs: 8 }))).toBe('(Sp)-a----b(E|)');
    });
  });

  it('retries after the delay it is given, each attempt with its own deadline, and gives up when told', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('-#');
      const retries: number[] = [];
      const retryDelay = (_error: unknown, made: number) => (retries.push(made), made === 0 ? 2 : undefined);
      expectObservable(failing.pipe(bracket(scheduler, { retryDelay }))).toBe('S---(XE|)');
      expectSubscriptions(failing.subscriptions).toBe(['^!', '---^!']);
      scheduler.flush();
      expect(retries).toEqual([0, 1]);
    });
  });

  it('never retries once the first output went out', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const broken = cold('-a#');
      expectObservable(broken.pipe(bracket(scheduler, { retryDelay: () => 1 }))).toBe('Sa(XE|)');
      expectSubscriptions(broken.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribing cancels the attempt, the deadline and a pending wait: nothing stays scheduled', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('#');
      expectObservable(failing.pipe(bracket(scheduler, { retryDelay: () => 10 })), '--!').toBe('S-');
      expectSubscriptions(failing.subscriptions).toBe('(^!)');
    });
    expect(scheduler.actions).toEqual([]);
  });
});
