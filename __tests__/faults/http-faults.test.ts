import { LLMRequestError, LLMTimeoutError, type ErrorFrame } from '../../src';
import { textResponse, type FakeReply } from '../../src/testing';
import { useFakeServer } from '../support/harness';
import { expectNextContextWorks, runFault } from './support';

const fake = useFakeServer('sk-faults-http-0123456789');

const errorFrames = (frames: readonly { type: string }[]) => frames.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');

describe('HTTP faults: one ErrorFrame each, then the next context works', () => {
  it.each([
    [400, 'invalid_request_error', "Invalid value: 'temperature'"],
    [401, 'invalid_api_key', 'Incorrect API key provided'],
    [403, 'unsupported_country', 'Country not supported'],
    [404, 'model_not_found', 'The model `gpt-9` does not exist'],
    [422, null, 'Unprocessable'],
  ])('HTTP %i is not retried and becomes an LLMRequestError with status and code', async (status, code, message) => {
    fake.server().enqueue({ kind: 'http-error', status, code, message });
    const harness = await runFault(fake.service({ maxRetries: 2 }));
    const [error, ...rest] = errorFrames(harness.output);
    expect(rest).toEqual([]);
    expect(error?.error).toBe(`LLM request failed with HTTP ${status}: ${message}`);
    expect(error?.fatal).toBe(false);
    expect(error?.exception).toBeInstanceOf(LLMRequestError);
    expect((error?.exception as LLMRequestError).status).toBe(status);
    expect((error?.exception as LLMRequestError).code).toBe(code ?? undefined);
    expect(fake.server().requests).toHaveLength(1);
    await expectNextContextWorks(harness, fake.server());
  });

  it('HTTP 429 with retry-after is retried after the wait, then succeeds without duplicate frames', async () => {
    fake.server().enqueue({ kind: 'http-error', status: 429, code: 'rate_limit_exceeded', message: 'Slow down', headers: { 'retry-after': '1' } }, {
      kind: 'stream',
      events: textResponse(['after ', 'the wait']),
    });
    const started = Date.now();
    const harness = await runFault(fake.service({ maxRetries: 1 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(harness.text()).toBe('after the wait');
    expect(harness.count('LLMFullResponseStartFrame')).toBe(1);
    expect(errorFrames(harness.output)).toEqual([]);
    expect(fake.server().requests).toHaveLength(2);
    await expectNextContextWorks(harness, fake.server());
  });

  it.each([500, 503])('HTTP %i is retried, then succeeds', async (status) => {
    fake.server().enqueue({ kind: 'http-error', status, message: 'busy', headers: { 'retry-after-ms': '5' } }, { kind: 'stream', events: textResponse('fine') });
    const harness = await runFault(fake.service({ maxRetries: 2 }));
    expect(harness.text()).toBe('fine');
    expect(errorFrames(harness.output)).toEqual([]);
    expect(fake.server().requests).toHaveLength(2);
    await expectNextContextWorks(harness, fake.server());
  });

  it.each([500, 503])('HTTP %i retried until exhausted gives one ErrorFrame', async (status) => {
    const reply: FakeReply = { kind: 'http-error', status, message: 'still busy', headers: { 'retry-after-ms': '5' } };
    fake.server().enqueue(reply, reply, reply);
    const harness = await runFault(fake.service({ maxRetries: 2 }));
    expect(errorFrames(harness.output).map((frame) => frame.error)).toEqual([`LLM request failed with HTTP ${status}: still busy`]);
    expect(fake.server().requests).toHaveLength(3);
    await expectNextContextWorks(harness, fake.server());
  });

  it('a server that closes the connection before the headers', async () => {
    fake.server().enqueue({ kind: 'drop' });
    const harness = await runFault(fake.service());
    const [error] = errorFrames(harness.output);
    expect(error?.error).toMatch(/^LLM connection failed/);
    expect(error?.exception).toBeInstanceOf(LLMRequestError);
    await expectNextContextWorks(harness, fake.server());
  });

  it('a server that never answers: the completion timeout aborts the socket', async () => {
    fake.server().enqueue({ kind: 'stall' });
    const llm = fake.service({ completionTimeoutMs: 150 });
    const events: string[] = [];
    llm.events$.subscribe((event) => events.push(event.name));
    const harness = await runFault(llm);
    const [error] = errorFrames(harness.output);
    expect(error?.error).toBe('LLM completion timeout');
    expect(error?.exception).toBeInstanceOf(LLMTimeoutError);
    expect(events).toEqual(['completionTimeout']);
    await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    await expectNextContextWorks(harness, fake.server());
  });
});
