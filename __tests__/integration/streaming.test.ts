import {
  InterruptionFrame,
  LLMContext,
  LLMContextFrame,
  LLMMessagesAppendFrame,
  LLMUpdateSettingsFrame,
  OpenAIResponsesLLMService,
  type OpenAIResponsesLLMServiceOptions,
  OpenAIResponsesLLMSettings,
  TextFrame,
} from '../../src';
import { textResponse, type FakeReply } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const API_KEY = 'sk-test-SECRET-abcdef123456';

const fake = useFakeServer(API_KEY);

function contextFrame(text = 'Hello') {
  const context = new LLMContext();
  context.addUserMessage(text);
  return new LLMContextFrame({ context });
}

describe('the operator over HTTP', () => {
  const service = (options: OpenAIResponsesLLMServiceOptions = {}) => fake.service(options);

  describe('streaming over HTTP', () => {
    it('streams text frames in order, bracketed, with TTFB, TTFAT, usage and processing metrics', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse(['The ', 'capital ', 'is ', 'Paris.'], { inputTokens: 12, outputTokens: 4 }) });
      const harness = new OperatorHarness(service());
      harness.send(contextFrame('What is the capital of France?'));
      await harness.waitForEnds(1);
      expect(harness.types()).toEqual([
        'LLMFullResponseStartFrame',
        'MetricsFrame',
        'MetricsFrame',
        'LLMTextFrame',
        'LLMTextFrame',
        'LLMTextFrame',
        'LLMTextFrame',
        'MetricsFrame',
        'MetricsFrame',
        'LLMFullResponseEndFrame',
      ]);
      expect(harness.text()).toBe('The capital is Paris.');
      const kinds = harness.output.flatMap((frame) => (frame.type === 'MetricsFrame' ? frame.data.map((data) => data.kind) : []));
      expect(kinds).toEqual(['ttfb', 'ttfat', 'usage', 'processing']);
      expect(fake.server().requests[0]?.path).toBe('/v1/responses');
      expect(fake.server().requests[0]?.body).toMatchObject({
        model: 'gpt-4.1',
        stream: true,
        store: false,
        input: [{ type: 'message', role: 'user', content: 'What is the capital of France?' }],
      });
    });

    it('ends the events at a `data: [DONE]` line, as the SDK does (some proxies send one)', async () => {
      const sse = textResponse(['Hi ', 'there']).map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      fake.server().enqueue({ kind: 'raw', chunks: [...sse, 'data: [DONE]\n\n', 'data: {"type":"response.output_text.delta","delta":"late"}\n\n'] });
      const harness = new OperatorHarness(service());
      harness.send(contextFrame());
      await harness.waitForEnds(1);
      expect(harness.text()).toBe('Hi there');
      expect(harness.types().filter((type) => type === 'ErrorFrame')).toEqual([]);
      expect(harness.types().at(-1)).toBe('LLMFullResponseEndFrame');
    });

    it('sends the key, organization, project, default headers and service tier', async () => {
      const llm = service({ organization: 'org-1', project: 'proj-1', defaultHeaders: { 'x-app': 'demo' }, serviceTier: 'flex' });
      const harness = new OperatorHarness(llm);
      harness.send(contextFrame());
      await harness.waitForEnds(1);
      const request = fake.server().requests[0]!;
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
      expect(request.headers['openai-organization']).toBe('org-1');
      expect(request.headers['openai-project']).toBe('proj-1');
      expect(request.headers['x-app']).toBe('demo');
      expect(request.body?.service_tier).toBe('flex');
    });

    it('reads OPENAI_API_KEY when no apiKey is given', async () => {
      const previous = process.env.OPENAI_API_KEY;
      process.env.OPENAI_API_KEY = 'sk-from-env-987654';
      try {
        const harness = new OperatorHarness(new OpenAIResponsesLLMService({ baseURL: fake.server().baseURL, maxRetries: 0 }));
        harness.send(contextFrame());
        await harness.waitForEnds(1);
        expect(fake.server().requests[0]?.headers.authorization).toBe('Bearer sk-from-env-987654');
      } finally {
        if (previous === undefined) delete process.env.OPENAI_API_KEY;
        else process.env.OPENAI_API_KEY = previous;
      }
    });

    it('passes unrelated frames through untouched and in order', async () => {
      const harness = new OperatorHarness(service());
      const a = new TextFrame({ text: 'a' });
      const b = new TextFrame({ text: 'b' });
      harness.send(a, b);
      expect(harness.output).toEqual([a, b]);
      expect(harness.output[0]).toBe(a);
    });

    it('applies an LLMUpdateSettingsFrame to the next request only', async () => {
      const harness = new OperatorHarness(service({ settings: { temperature: 0.9 } }));
      harness.send(contextFrame());
      await harness.waitForEnds(1);
      harness.send(new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings({ temperature: 0.3, maxCompletionTokens: 500 }) }));
      harness.send(contextFrame());
      await harness.waitForEnds(2);
      expect(fake.server().requests[0]?.body).toMatchObject({ temperature: 0.9 });
      expect(fake.server().requests[0]?.body?.max_output_tokens).toBeUndefined();
      expect(fake.server().requests[1]?.body).toMatchObject({ temperature: 0.3, max_output_tokens: 500 });
      expect(harness.count('LLMUpdateSettingsFrame')).toBe(0);
    });

    it('turns an invalid settings frame into an ErrorFrame, keeps the old settings and keeps running', async () => {
      const llm = service({ settings: { temperature: 0.9 } });
      const harness = new OperatorHarness(llm);
      harness.send(new LLMUpdateSettingsFrame({ delta: { temperature: 5 } as never }));
      harness.send(contextFrame());
      await harness.waitForEnds(1);
      expect(harness.errorMessages()).toEqual(['Invalid setting "temperature": expected a number from 0 to 2, or null, got 5']);
      expect(fake.server().requests[0]?.body?.temperature).toBe(0.9);
    });

    it('appends LLMMessagesAppendFrame messages to the last context, running only when asked', async () => {
      const harness = new OperatorHarness(service());
      const first = contextFrame('one');
      harness.send(first);
      await harness.waitForEnds(1);
      harness.send(new LLMMessagesAppendFrame({ messages: [{ role: 'user', content: 'two' }] }));
      expect(fake.server().requests).toHaveLength(1);
      harness.send(new LLMMessagesAppendFrame({ messages: [{ role: 'user', content: 'three' }], runLlm: true }));
      await harness.waitForEnds(2);
      expect(fake.server().requests[1]?.body?.input).toEqual([
        { type: 'message', role: 'user', content: 'one' },
        { type: 'message', role: 'user', content: 'two' },
        { type: 'message', role: 'user', content: 'three' },
      ]);
      expect(first.context.messages).toHaveLength(3);
    });
  });

  describe('cancellation reaches the socket', () => {
    // Stalls after the first delta (created, in_progress, item added, part added, delta): only a real abort closes it.
    const stallsAfterFirstDelta = (chunks: string[]): FakeReply => ({ kind: 'stream', events: textResponse(chunks), stallAfter: 5 });

    it('an InterruptionFrame aborts the request in flight, closes the response and is forwarded', async () => {
      fake.server().enqueue(stallsAfterFirstDelta(['a', 'b', 'c']));
      const harness = new OperatorHarness(service());
      harness.send(contextFrame());
      await harness.waitFor(() => harness.count('LLMTextFrame') >= 1);
      const interruption = new InterruptionFrame();
      harness.send(interruption);
      await fake.server().waitFor(() => fake.server().abortedConnections === 1);
      expect(fake.server().activeReplies).toBe(0);
      const types = harness.types();
      expect(types.slice(-2)).toEqual(['LLMFullResponseEndFrame', 'InterruptionFrame']);
      expect(harness.output.at(-1)).toBe(interruption);
      expect(harness.text()).toBe('a');
    });

    it('a newer context aborts the older request and only the newer answer continues', async () => {
      fake.server().enqueue(stallsAfterFirstDelta(['old1', 'old2', 'old3', 'old4']));
      fake.server().enqueue({ kind: 'stream', events: textResponse(['new']) });
      const harness = new OperatorHarness(service());
      harness.send(contextFrame('first'));
      await harness.waitFor(() => harness.count('LLMTextFrame') >= 1);
      harness.send(contextFrame('second'));
      await harness.waitForEnds(2);
      await fake.server().waitFor(() => fake.server().abortedConnections === 1);
      expect(harness.text()).toBe('old1new');
      expect(fake.server().requests.map((request) => request.body?.input)).toEqual([
        [{ type: 'message', role: 'user', content: 'first' }],
        [{ type: 'message', role: 'user', content: 'second' }],
      ]);
      expect(harness.count('LLMFullResponseStartFrame')).toBe(harness.count('LLMFullResponseEndFrame'));
    });

    it('an interruption before the headers arrive aborts too', async () => {
      fake.server().enqueue({ kind: 'stall' });
      const harness = new OperatorHarness(service());
      harness.send(contextFrame());
      await fake.server().waitFor(() => fake.server().requests.length === 1);
      harness.send(new InterruptionFrame());
      await fake.server().waitFor(() => fake.server().abortedConnections === 1);
      expect(harness.types()).toEqual(['LLMFullResponseStartFrame', 'LLMFullResponseEndFrame', 'InterruptionFrame']);
    });

    it('unsubscribing the pipeline aborts the request', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 3 });
      const harness = new OperatorHarness(service());
      harness.send(contextFrame());
      await fake.server().waitFor(() => fake.server().requests.length === 1);
      harness.stop();
      await fake.server().waitFor(() => fake.server().abortedConnections === 1);
      expect(fake.server().activeReplies).toBe(0);
    });
  });

  describe('failures outside the fault table', () => {
    it('an invalid context (unknown role) is an ErrorFrame, sends nothing, and the next context works', async () => {
      const harness = new OperatorHarness(service());
      const bad = new LLMContext([{ role: 'robot', content: 'beep' } as never]);
      harness.send(new LLMContextFrame({ context: bad }));
      await harness.waitForEnds(1);
      expect(harness.errorMessages()).toEqual([
        'Invalid context at messages[0].role: unknown role "robot"; allowed: system, developer, user, assistant, tool, item',
      ]);
      expect(fake.server().requests).toHaveLength(0);
      harness.send(contextFrame());
      await harness.waitForEnds(2);
      expect(harness.text()).toBe('OK');
    });

    it('never shows the API key, even when a 401 echoes it', async () => {
      fake.server().enqueue({ kind: 'http-error', status: 401, message: `Incorrect API key provided: ${API_KEY}. Also sk-test***3456.` });
      const logger = recordingLogger();
      const harness = new OperatorHarness(service({ logger }));
      harness.send(contextFrame());
      await harness.waitForEnds(1);
      const [error] = harness.errorMessages();
      expect(error).toMatch(/^LLM request failed with HTTP 401: Incorrect API key provided: \[redacted\]/);
      const everything = JSON.stringify(harness.output) + harness.output.map((frame) => (frame.type === 'ErrorFrame' ? String(frame.exception) : '')).join('') + logger.lines.join('');
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain('SECRET');
      expect(everything).not.toContain('sk-test');
    });

    it('a missing API key is an ErrorFrame, not a crash', async () => {
      const previous = process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_API_KEY;
      try {
        const harness = new OperatorHarness(new OpenAIResponsesLLMService({ baseURL: fake.server().baseURL }));
        harness.send(contextFrame());
        await harness.waitForEnds(1);
        expect(harness.errorMessages()).toEqual(['No OpenAI API key: pass apiKey to OpenAIResponsesLLMService or set OPENAI_API_KEY.']);
      } finally {
        if (previous !== undefined) process.env.OPENAI_API_KEY = previous;
      }
    });
  });
});
