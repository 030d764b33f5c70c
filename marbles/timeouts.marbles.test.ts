import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import type { Frame, OpenAIResponsesLLMServiceOptions } from '../src';
import { contextFrame, ev, scriptedService, testScheduler, timeline } from './support';

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
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('c------d-e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [stream], { completionTimeoutMs: 5 });
      const log = timeline(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expectSubscriptions(stream.subscriptions).toBe('^----!');
      expect(timeouts).toEqual([5]);
      expect(log).toEqual(['0: Start', '5: Error(LLM completion timeout)', '5: End']);
    });
  });

  it('does not fire when the first output arrives one frame before the deadline', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('c---d-----e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [stream], { completionTimeoutMs: 5 });
      const log = timeline(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expectSubscriptions(stream.subscriptions).toBe('^----------!');
      expect(timeouts).toEqual([]);
      expect(log).toEqual(['0: Start', '4: "x"', '11: End']);
    });
  });

  it('a stall timeout fires when the stream goes quiet mid-response', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('d-d------d-e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [stream], { streamStallTimeoutMs: 3 });
      const log = timeline(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expectSubscriptions(stream.subscriptions).toBe('^----!');
      expect(timeouts).toEqual([5]);
      expect(log).toEqual(['0: Start', '0: "x"', '2: "x"', '5: Error(LLM completion timeout: no event for 3 ms)', '5: End']);
    });
  });

  it('retryOnTimeout re-subscribes once, at the deadline, with no ErrorFrame and no duplicate frames', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const silent = cold<ResponseStreamEvent>('c--------', values);
      const answering = cold<ResponseStreamEvent>('-d-e|', values);
      const { llm, timeouts } = serviceWith(scheduler, [silent, answering], { completionTimeoutMs: 5, retryOnTimeout: true });
      const log = timeline(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler, { metrics: true });
      scheduler.flush();
      expectSubscriptions(silent.subscriptions).toBe('^----!');
      expectSubscriptions(answering.subscriptions).toBe('-----^---!');
      expect(timeouts).toEqual([5]);
      // TTFB counts from the context frame, across the retry.
      expect(log).toEqual(['0: Start', '6: Metrics(ttfb=6)', '6: "x"', '8: Metrics(usage=usage)', '9: Metrics(processing=9)', '9: End']);
    });
  });

  it('retryOnTimeout gives up after one retry: two timeout events, one ErrorFrame', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const silent = () => cold<ResponseStreamEvent>('c--------', values);
      const { llm, timeouts } = serviceWith(scheduler, [silent(), silent()], { completionTimeoutMs: 5, retryOnTimeout: true });
      const log = timeline(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(timeouts).toEqual([5, 10]);
      expect(log).toEqual(['0: Start', '10: Error(LLM completion timeout)', '10: End']);
    });
  });

  it('the pipeline keeps working after a timeout', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const { llm } = serviceWith(scheduler, [cold<ResponseStreamEvent>('c-----', values), cold<ResponseStreamEvent>('-d-e|', values)], { completionTimeoutMs: 3 });
      const log = timeline(hot<Frame>('a-----b', { a: contextFrame(), b: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(log).toEqual(['0: Start', '3: Error(LLM completion timeout)', '3: End', '6: Start', '7: "x"', '10: End']);
    });
  });
});
