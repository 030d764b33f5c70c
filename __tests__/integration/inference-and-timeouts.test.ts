import { z } from 'zod';
import {
  LLMContext,
  LLMContextFrame,
  LLMRequestError,
  OpenAIResponsesLLMService,
  SettingsValidationError,
  StructuredOutputError,
} from '../../src';
import { ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-test-inf');
const service = fake.service;

const france = () => {
  const context = new LLMContext();
  context.addUserMessage('What is the capital of France?');
  return context;
};

describe('runInference (out-of-band, non-streaming)', () => {
  it('sends a non-streaming request with this call’s overrides and resolves to the output text', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse(['The capital ', 'of France is Paris.']) });
    const llm = service({ settings: { systemInstruction: 'Default prompt', temperature: 0.4 } });
    const answer = await llm.runInference(france(), { maxTokens: 100, systemInstruction: 'You are a helpful geography assistant.' });
    expect(answer).toBe('The capital of France is Paris.');
    expect(fake.server().requests[0]?.body).toEqual({
      model: 'gpt-4.1',
      input: [{ type: 'message', role: 'user', content: 'What is the capital of France?' }],
      instructions: 'You are a helpful geography assistant.',
      temperature: 0.4,
      max_output_tokens: 100,
      store: false,
      stream: false,
    });
    expect(llm.settings.systemInstruction).toBe('Default prompt');
  });

  it('resolves to null when the response has no text', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().functionCall({ name: 'f', arguments: {} }).completed() });
    await expect(service().runInference(france())).resolves.toBeNull();
  });

  it('pushes nothing through a running pipeline and leaves the context as it was', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse('Hello') }, { kind: 'stream', events: textResponse('Paris') });
    const llm = service();
    const harness = new OperatorHarness(llm);
    const context = france();
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    const before = [...harness.output];
    const messages = context.messages.length;
    await expect(llm.runInference(context)).resolves.toBe('Paris');
    // The inference's answer reached neither the pipeline's output nor the conversation.
    expect(harness.output).toEqual(before);
    expect(harness.text()).toBe('Hello');
    expect(context.messages).toHaveLength(messages);
    expect(fake.server().requests.map((request) => request.body?.stream)).toEqual([true, false]);
    harness.stop();
  });

  it('rejects with a typed, secret-free error', async () => {
    fake.server().enqueue({ kind: 'http-error', status: 401, message: 'Incorrect API key provided: sk-test-inf' });
    const failure = service().runInference(france());
    await expect(failure).rejects.toBeInstanceOf(LLMRequestError);
    await expect(failure).rejects.toThrow('LLM request failed with HTTP 401: Incorrect API key provided: [redacted]');
  });

  it('inference$ aborts the request when unsubscribed', async () => {
    fake.server().enqueue({ kind: 'stall' });
    const subscription = service().inference$(france()).subscribe();
    await fake.server().waitFor(() => fake.server().requests.length === 1);
    subscription.unsubscribe();
    await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    expect(fake.server().activeReplies).toBe(0);
  });
});

describe('completion timeout over HTTP', () => {
  it('a slow-starting server triggers the timeout: ErrorFrame, event, socket aborted, next context fine', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse('too late'), headersDelayMs: 2000 });
    const llm = service({ completionTimeoutMs: 100 });
    let timeouts = 0;
    llm.on('completionTimeout', () => timeouts++);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: france() }));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['LLM completion timeout: no output within 100 ms (completionTimeoutMs)']);
    expect(timeouts).toBe(1);
    await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    harness.send(new LLMContextFrame({ context: france() }));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('OK');
  });
});

describe('SDK retries', () => {
  it.each([
    [500, { 'retry-after-ms': '10' }],
    [503, { 'retry-after-ms': '10' }],
    [429, { 'retry-after': '0' }],
  ])('HTTP %i is retried and the answer arrives once, with no ErrorFrame', async (status, headers) => {
    fake.server().enqueue({ kind: 'http-error', status, message: 'try again', headers }, { kind: 'stream', events: textResponse(['once', ' only']) });
    const harness = new OperatorHarness(service({ maxRetries: 2 }));
    harness.send(new LLMContextFrame({ context: france() }));
    await harness.waitForEnds(1);
    expect(fake.server().requests).toHaveLength(2);
    expect(harness.text()).toBe('once only');
    expect(harness.count('LLMFullResponseStartFrame')).toBe(1);
    expect(harness.errorMessages()).toEqual([]);
  });

  it('gives up after maxRetries with one ErrorFrame', async () => {
    const error = { kind: 'http-error' as const, status: 503, message: 'unavailable', headers: { 'retry-after-ms': '5' } };
    fake.server().enqueue(error, error, error);
    const harness = new OperatorHarness(service({ maxRetries: 2 }));
    harness.send(new LLMContextFrame({ context: france() }));
    await harness.waitForEnds(1);
    expect(fake.server().requests).toHaveLength(3);
    expect(harness.errorMessages()).toEqual(['LLM request failed with HTTP 503: unavailable']);
  });
});

describe('option validation', () => {
  it.each([
    ['completionTimeoutMs', 0],
    ['streamStallTimeoutMs', -5],
    ['functionCallTimeoutMs', Number.NaN],
    ['maxRetries', 1.5],
  ])('rejects %s = %p naming the option', (field, value) => {
    expect(() => new OpenAIResponsesLLMService({ [field]: value })).toThrow(SettingsValidationError);
    expect(() => new OpenAIResponsesLLMService({ [field]: value })).toThrow(new RegExp(`"${field}"`));
  });
});

describe('structured output for out-of-band inference', () => {
  const Weather = z.object({ city: z.string(), celsius: z.number(), tags: z.array(z.object({ label: z.string() })) });
  const structured = (payload: unknown) => ({ kind: 'stream' as const, events: textResponse(JSON.stringify(payload)) });

  it('sends a strict JSON schema as text.format and resolves to the parsed, typed value', async () => {
    fake.server().enqueue(structured({ city: 'Paris', celsius: 21, tags: [{ label: 'sunny' }] }));
    const weather = await fake.service().runInference(new LLMContext([{ role: 'user', content: 'Weather in Paris?' }]), { schema: Weather, schemaName: 'weather' });
    const celsius: number = weather.celsius;
    expect(celsius).toBe(21);
    expect(weather).toEqual({ city: 'Paris', celsius: 21, tags: [{ label: 'sunny' }] });
    expect(fake.server().requests[0]?.body?.text).toEqual({
      format: {
        type: 'json_schema',
        name: 'weather',
        strict: true,
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['city', 'celsius', 'tags'],
          properties: {
            city: { type: 'string' },
            celsius: { type: 'number' },
            tags: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['label'], properties: { label: { type: 'string' } } } },
          },
        },
      },
    });
  });

  it.each([
    [{ city: 'Paris', celsius: 'warm', tags: [] }, /^Structured output does not match the schema at celsius: /],
    [{ city: 'Paris', celsius: 3, tags: [{ label: 5 }] }, /^Structured output does not match the schema at tags\.0\.label: /],
    ['not json at all', /^Structured output does not match the schema at \(root\): the response is not valid JSON$/],
  ])('an answer that does not fit rejects with a StructuredOutputError naming the path (%j)', async (payload, message) => {
    fake.server().enqueue(typeof payload === 'string' ? { kind: 'stream', events: textResponse(payload) } : structured(payload));
    const rejection = fake.service().runInference(new LLMContext([{ role: 'user', content: 'x' }]), { schema: Weather });
    await expect(rejection).rejects.toBeInstanceOf(StructuredOutputError);
    fake.server().enqueue(typeof payload === 'string' ? { kind: 'stream', events: textResponse(payload) } : structured(payload));
    await expect(fake.service().runInference(new LLMContext([{ role: 'user', content: 'x' }]), { schema: Weather })).rejects.toThrow(message);
  });
});
