import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import { LLMRequestError, LLMSwitcher, LLMUpdateSettingsFrame, ManuallySwitchServiceFrame, NOT_GIVEN, OpenAIResponsesLLMService, type Frame, type ServiceSwitched } from '../src';
import { scriptedOpenStream } from '../src/testing';
import { contextFrame, ev, labels, testScheduler } from './support';

type Scheduler = ReturnType<typeof testScheduler>;
const busy = () => new LLMRequestError('LLM request failed with HTTP 503: busy', { status: 503 });

/** Two services on one scheduler, each answering from its own script; no retries of their own unless asked. */
function pair(scheduler: Scheduler, primary: Observable<ResponseStreamEvent>[], fallback: Observable<ResponseStreamEvent>[], options = {}) {
  const a = scriptedOpenStream(primary);
  const b = scriptedOpenStream(fallback);
  const quiet = { warn() {}, error() {} };
  const first = new OpenAIResponsesLLMService({ name: 'primary', scheduler, openStream: a, maxRetries: 0, logger: quiet, ...options });
  const second = new OpenAIResponsesLLMService({ name: 'fallback', scheduler, openStream: b, maxRetries: 0, logger: quiet });
  return { first, second, primaryRequests: a.requests, fallbackRequests: b.requests };
}

describe('LLMSwitcher (virtual time)', () => {
  it('a primary failing before any output: the same turn runs on the fallback, one Start, and the fallback stays active', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { first, second, fallbackRequests } = pair(scheduler, [cold('-#', {}, busy())], [cold('-d-c|', { d: ev.delta('from fallback'), c: ev.completed }), cold('-d-c|', { d: ev.delta('again'), c: ev.completed })]);
      const switcher = new LLMSwitcher({ services: [first, second], strategy: 'failover' });
      const switches: string[] = [];
      switcher.events$.subscribe((event: ServiceSwitched<OpenAIResponsesLLMService>) => switches.push(`${event.from.name}->${event.to.name}: ${event.reason}`));
      const output$ = hot<Frame>('x------y', { x: contextFrame('one'), y: contextFrame('two') }).pipe(switcher.operator());
      expectObservable(labels(output$, scheduler)).toBe('S-f-E--Sa-E', { S: 'Start', f: '"from fallback"', E: 'End', a: '"again"' });
      scheduler.flush();
      expect(switches).toEqual(['primary->fallback: failover: LLM request failed with HTTP 503: busy']);
      expect(switcher.activeService).toBe(second);
      expect(fallbackRequests).toHaveLength(2);
    });
  });

  it('a failure after partial output does not fail over: the error stands', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { first, second, fallbackRequests } = pair(scheduler, [cold('-d#', { d: ev.delta('half') }, busy())], []);
      const switcher = new LLMSwitcher({ services: [first, second] });
      expectObservable(labels(hot<Frame>('x', { x: contextFrame() }).pipe(switcher.operator()), scheduler)).toBe('Shx', {
        S: 'Start',
        h: '"half"',
        x: 'Error(LLM request failed with HTTP 503: busy) + End',
      });
      scheduler.flush();
      expect(switcher.activeService).toBe(first);
      expect(fallbackRequests).toHaveLength(0);
    });
  });

  it('a first-output deadline expiring on the primary fails over at that frame', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const hung = cold<ResponseStreamEvent>('-');
      const { first, second } = pair(scheduler, [hung], [cold('-d-c|', { d: ev.delta('rescued'), c: ev.completed })], { completionTimeoutMs: 5 });
      const switcher = new LLMSwitcher({ services: [first, second] });
      expectObservable(labels(hot<Frame>('x', { x: contextFrame() }).pipe(switcher.operator()), scheduler)).toBe('S 5ms r-E', { S: 'Start', r: '"rescued"', E: 'End' });
      expectSubscriptions(hung.subscriptions).toBe('^----!');
    });
  });

  it('both services failing: one ErrorFrame, the last service\'s', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const down = new LLMRequestError('LLM request failed with HTTP 500: down', { status: 500 });
      const { first, second } = pair(scheduler, [cold('-#', {}, busy())], [cold('-#', {}, down)]);
      const switcher = new LLMSwitcher({ services: [first, second] });
      expectObservable(labels(hot<Frame>('x', { x: contextFrame() }).pipe(switcher.operator()), scheduler)).toBe('S-x', {
        S: 'Start',
        x: 'Error(LLM request failed with HTTP 500: down) + End',
      });
    });
  });

  it("a settings delta while on the fallback reaches every service of the pipeline's session, and the next request uses it", () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const ok = () => cold<ResponseStreamEvent>('-dc|', { d: ev.delta('ok'), c: ev.completed });
      const { first, second, fallbackRequests } = pair(scheduler, [cold('-#', {}, busy())], [ok(), ok()]);
      const switcher = new LLMSwitcher({ services: [first, second] });
      const delta = new LLMUpdateSettingsFrame({ delta: { temperature: 0.4 } });
      hot<Frame>('x---s-y', { x: contextFrame(), s: delta, y: contextFrame() }).pipe(switcher.operator()).subscribe();
      scheduler.flush();
      // The services' own settings (the base of every other pipeline) are unchanged.
      expect([first.settings.temperature, second.settings.temperature]).toEqual([NOT_GIVEN, NOT_GIVEN]);
      expect(fallbackRequests.map((request) => request.temperature)).toEqual([undefined, 0.4]);
    });
  });

  it("'manual' never fails over; a ManuallySwitchServiceFrame switches, in order with the other frames", () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { first, second } = pair(scheduler, [cold('-#', {}, busy())], [cold('-d-c|', { d: ev.delta('b'), c: ev.completed })]);
      const switcher = new LLMSwitcher({ services: [first, second], strategy: 'manual' });
      const output$ = hot<Frame>('x--my', { x: contextFrame(), m: new ManuallySwitchServiceFrame({ service: second }), y: contextFrame() }).pipe(switcher.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sx--Sb-E', { S: 'Start', x: 'Error(LLM request failed with HTTP 503: busy) + End', b: '"b"', E: 'End' });
    });
  });

  it('rejects what is not a list of services, naming the field', () => {
    expect(() => new LLMSwitcher({ services: [] })).toThrow(/Invalid setting "services": expected a non-empty array of LLM services/);
    expect(() => new LLMSwitcher({ services: [{} as never] })).toThrow(/"services"/);
  });
});
