import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { InterruptionFrame, LLMRequestError, type Frame, type OpenAIResponsesLLMServiceOptions } from '../src';
import { contextFrame, ev, labels, scriptedService, testScheduler } from './support';

const values = { d: ev.delta('ok'), c: ev.completed };
const rateLimited = (retryAfterMs?: number) =>
  new LLMRequestError('LLM request failed with HTTP 429: Slow down', { status: 429, code: 'rate_limit_exceeded', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('retries, in RxJS on the scheduler (virtual time)', () => {
  // The answer's stream is read to its end (`|`, one frame after response.completed): its request is released there.
  function run(failures: Error[], options: OpenAIResponsesLLMServiceOptions, marbles: string, expected: Record<string, string>, subscriptions: string[], source = 'a') {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const failing = failures.map((error) => cold<ResponseStreamEvent>('#', values, error));
      const answer = cold<ResponseStreamEvent>('-d-c|', values);
      const streams = [...failing, answer];
      const { llm } = scriptedService(scheduler, streams, options);
      const input = hot<Frame>(source, { a: contextFrame(), i: new InterruptionFrame() });
      expectObservable(labels(input.pipe(llm.operator()), scheduler)).toBe(marbles, expected);
      const all = [...failing, answer];
      subscriptions.forEach((marble, index) => expectSubscriptions(all[index]!.subscriptions).toBe(marble));
    });
  }

  it('a 429 is retried when retry-after says, then the answer streams once: no ErrorFrame, one Start', () => {
    run([rateLimited(7)], {}, 'S 7ms o-E', { S: 'Start', o: '"ok"', E: 'End' }, ['(^!)', '7ms ^---!']);
  });

  it('a retry-after beyond maxRetryAfterMs waits only the cap', () => {
    run([rateLimited(60_000)], { maxRetryAfterMs: 20 }, 'S 20ms o-E', { S: 'Start', o: '"ok"', E: 'End' }, ['(^!)', '20ms ^---!']);
  });

  it('without retry-after: exponential backoff from 500 ms (jitter pinned to none)', () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      run([rateLimited(), rateLimited()], {}, 'S 1500ms o-E', { S: 'Start', o: '"ok"', E: 'End' }, ['(^!)', '500ms (^!)', '1500ms ^---!']);
    } finally {
      random.mockRestore();
    }
  });

  it('the jitter takes off at most a quarter of the backoff', () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
    try {
      run([rateLimited()], {}, 'S 375ms o-E', { S: 'Start', o: '"ok"', E: 'End' }, ['(^!)', '375ms ^---!']);
    } finally {
      random.mockRestore();
    }
  });

  it('retries until maxRetries, then only the final failure becomes an ErrorFrame', () => {
    const error = 'Error(LLM request failed with HTTP 429: Slow down) + End';
    run([rateLimited(3), rateLimited(3), rateLimited(3)], { maxRetries: 2 }, 'S 5ms x', { S: 'Start', x: error }, ['(^!)', '3ms (^!)', '6ms (^!)']);
  });

  it('a 400 is not retried', () => {
    const bad = new LLMRequestError('LLM request failed with HTTP 400: Bad', { status: 400 });
    run([bad], {}, 'x', { x: 'Start + Error(LLM request failed with HTTP 400: Bad) + End' }, ['(^!)']);
  });

  it('a connection failure is retried', () => {
    const refused = new LLMRequestError('LLM connection failed: connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', retryAfterMs: 4 });
    run([refused], {}, 'S 4ms o-E', { S: 'Start', o: '"ok"', E: 'End' }, ['(^!)', '4ms ^---!']);
  });

  it('x-should-retry: false wins over the status', () => {
    const told = new LLMRequestError('LLM request failed with HTTP 503: Busy', { status: 503, shouldRetry: false });
    run([told], {}, 'x', { x: 'Start + Error(LLM request failed with HTTP 503: Busy) + End' }, ['(^!)']);
  });

  it('an interruption during the wait cancels it: no retry, nothing left scheduled', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const failing = cold<ResponseStreamEvent>('#', values, rateLimited(7));
      const answer = cold<ResponseStreamEvent>('-d-c|', values);
      const { llm, requests } = scriptedService(scheduler, [failing, answer]);
      const input = hot<Frame>('a--i', { a: contextFrame(), i: new InterruptionFrame() });
      expectObservable(labels(input.pipe(llm.operator()), scheduler)).toBe('S--x', { S: 'Start', x: 'End + Interruption' });
      expectSubscriptions(failing.subscriptions).toBe('(^!)');
      expectSubscriptions(answer.subscriptions).toBe([]);
      scheduler.flush();
      expect(requests).toHaveLength(1);
      expect(scheduler.actions).toEqual([]);
    });
  });

  it('no retry once output went out: the error stands', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const broken = cold<ResponseStreamEvent>('-d#', values, rateLimited(1));
      const { llm, requests } = scriptedService(scheduler, [broken]);
      expectObservable(labels(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler)).toBe('Sox', {
        S: 'Start',
        o: '"ok"',
        x: 'Error(LLM request failed with HTTP 429: Slow down) + End',
      });
      scheduler.flush();
      expect(requests).toHaveLength(1);
    });
  });
});

describe('the default first-output deadline (virtual time)', () => {
  it('a hung upstream gets an ErrorFrame after 30 s by default, and the completionTimeout event fires', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const hung = cold<ResponseStreamEvent>('-');
      const { llm } = scriptedService(scheduler, [hung]);
      const timeouts: number[] = [];
      llm.on('completionTimeout', () => void timeouts.push(scheduler.now()));
      expectObservable(labels(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler)).toBe('S 29999ms x', {
        S: 'Start',
        x: 'Error(LLM completion timeout: no output within 30000 ms (completionTimeoutMs)) + End',
      });
      expectSubscriptions(hung.subscriptions).toBe('^ 29999ms !');
      scheduler.flush();
      expect(timeouts).toEqual([30_000]);
    });
  });

  it('completionTimeoutMs: Infinity turns it off', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm } = scriptedService(scheduler, [cold<ResponseStreamEvent>('-')], { completionTimeoutMs: Infinity });
      expectObservable(labels(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler), '^ 100000ms !').toBe('S', { S: 'Start' });
    });
  });
});
