import { EMPTY, Observable, Subject, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
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
