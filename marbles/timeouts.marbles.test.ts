import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import type { Frame, OpenAIResponsesLLMServiceOptions } from '../src';
import { contextFrame, ev, labels, scriptedService, testScheduler } from './support';

function serviceWith(
  scheduler: ReturnType<typeof testScheduler>,
  streams: Observable<ResponseStreamEvent>[],
  options: OpenAIResponsesLLMServiceOptions,
) {
  const { llm } = scriptedService(scheduler, streams, options);
  const timeouts: number[] = [];
  llm.on('completionTimeout', (service) => {
    expect(service).toBe(llm);
    timeouts.push(scheduler.now());
  });
  return { llm, timeouts };
}

const values = { c: ev.created, d: ev.delta('x'), e: ev.completed };

describe('completion timeout (virtual time)', () => {
  it('fires at exactly the configured frame when no output arrived, and unsubscribes the inner stream', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('c------d-e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [stream], { completionTimeoutMs: 5 });
      const output$ = hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('S 4ms x', { S: 'Start', x: 'Error(LLM completion timeout: no output within 5 ms (completionTimeoutMs)) + End' });
      expectSubscriptions(stream.subscriptions).toBe('^----!');
      scheduler.flush();
      expect(timeouts).toEqual([5]);
    });
  });

  it('does not fire when the first output arrives one frame before the deadline', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('c---d-----e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [stream], { completionTimeoutMs: 5 });
      const output$ = hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('S---x 5ms E', { S: 'Start', x: '"x"', E: 'End' });
      // End at response.completed (frame 10); the request is released when its stream ends (frame 11).
      expectSubscriptions(stream.subscriptions).toBe('^----------!');
      scheduler.flush();
      expect(timeouts).toEqual([]);
    });
  });

  it('a stall timeout fires when the stream goes quiet mid-response', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('d-d------d-e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [stream], { streamStallTimeoutMs: 3 });
      const output$ = hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('a-x--s', { a: 'Start + "x"', x: '"x"', s: 'Error(LLM completion timeout: no event for 3 ms (streamStallTimeoutMs)) + End' });
      expectSubscriptions(stream.subscriptions).toBe('^----!');
      scheduler.flush();
      expect(timeouts).toEqual([5]);
    });
  });

  it('retryOnTimeout re-subscribes once, at the deadline, with no ErrorFrame and no duplicate frames', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const silent = cold<ResponseStreamEvent>('c--------', values);
      const answering = cold<ResponseStreamEvent>('-d-e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [silent, answering], { completionTimeoutMs: 5, retryOnTimeout: true });
      const output$ = hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator());
      // TTFB counts from the context frame, across the retry.
      expectObservable(labels(output$, scheduler, { metrics: true })).toBe('S 5ms x-E', { S: 'Start', x: 'ttfb=6 + ttfat=6 + "x"', E: 'usage + processing=8 + End' });
      expectSubscriptions(silent.subscriptions).toBe('^----!');
      expectSubscriptions(answering.subscriptions).toBe('-----^---!');
      scheduler.flush();
      expect(timeouts).toEqual([5]);
    });
  });

  it('retryOnTimeout gives up after one retry: two timeout events, one ErrorFrame', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const silent = () => cold<ResponseStreamEvent>('c--------', values);
      const { llm, timeouts } = serviceWith(scheduler, [silent(), silent()], { completionTimeoutMs: 5, retryOnTimeout: true });
      const output$ = hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('S 9ms x', { S: 'Start', x: 'Error(LLM completion timeout: no output within 5 ms (completionTimeoutMs)) + End' });
      scheduler.flush();
      expect(timeouts).toEqual([5, 10]);
    });
  });

  it('the pipeline keeps working after a timeout', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm } = serviceWith(scheduler, [cold<ResponseStreamEvent>('c-----', values), cold<ResponseStreamEvent>('-d-e|', values)], { completionTimeoutMs: 3 });
      const output$ = hot<Frame>('a-----b', { a: contextFrame(), b: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('S--t--Sx-E', { S: 'Start', t: 'Error(LLM completion timeout: no output within 3 ms (completionTimeoutMs)) + End', x: '"x"', E: 'End' });
    });
  });
});
