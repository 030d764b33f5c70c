import { createServer } from 'node:net';
import OpenAI from 'openai';
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { LLMRequestError, OpenAIResponsesLLMService, type ErrorFrame } from '../../src';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';
import { ask, expectNextContextWorks } from './support';

const fake = useFakeServer('sk-faults-retries-0123456789');

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('retries and connection failures over loopback', () => {
  it('a refused connection says where and why, with the system error as its cause', async () => {
    const port = await closedPort();
    const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-conn-0123456789', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, logger: recordingLogger() });
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    const error = harness.output.find((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
    expect(error?.error).toBe(`LLM connection failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    const exception = error?.exception as LLMRequestError;
    expect(exception).toBeInstanceOf(LLMRequestError);
    expect(exception.code).toBe('ECONNREFUSED');
    expect(exception.cause).toBeInstanceOf(Error);
    harness.stop();
  });

  it('unsubscribing during a retry wait leaves no timer behind (retry-after: 6 s)', async () => {
    // The real clock, recording what the service schedules on it: the 6 s wait must be gone once unsubscribed.
    const scheduled: { delay: number; subscription: Subscription }[] = [];
    const scheduler: SchedulerLike = {
      now: () => asyncScheduler.now(),
      schedule: (work, delay, state) => {
        const subscription = asyncScheduler.schedule(work as never, delay, state);
        scheduled.push({ delay: delay ?? 0, subscription });
        return subscription;
      },
    };
    fake.server().enqueue({ kind: 'http-error', status: 429, message: 'Slow down', headers: { 'retry-after': '6' } });
    const harness = new OperatorHarness(fake.service({ maxRetries: 2, scheduler }));
    harness.send(ask());
    await fake.server().waitFor(() => scheduled.some((entry) => entry.delay === 6000));
    harness.stop();
    expect(scheduled.filter((entry) => !entry.subscription.closed)).toEqual([]);
    expect(fake.server().requests).toHaveLength(1);
  });

  it('a client you pass sends once: the service retries (here not at all)', async () => {
    fake.server().enqueue({ kind: 'http-error', status: 503, message: 'busy', headers: { 'retry-after-ms': '1' } });
    const client = new OpenAI({ apiKey: 'sk-own-client-0123456789', baseURL: fake.server().baseURL, maxRetries: 5 });
    const harness = new OperatorHarness(new OpenAIResponsesLLMService({ client, maxRetries: 0, logger: recordingLogger() }));
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['LLM request failed with HTTP 503: busy']);
    expect(fake.server().requests).toHaveLength(1);
    await expectNextContextWorks(harness, fake.server());
  });

  it('runInference retries too', async () => {
    fake.server().enqueue({ kind: 'http-error', status: 500, message: 'oops', headers: { 'retry-after-ms': '1' } });
    const answer = await fake.service({ maxRetries: 1 }).runInference(ask().context);
    expect(answer).toBe('OK');
    expect(fake.server().requests).toHaveLength(2);
  });
});
