import { Subject } from 'rxjs';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMContextFrame,
  LLMIncompleteError,
  LLMRequestError,
  OpenAILLMService,
  OpenAIResponsesLLMService,
  TextFrame,
  type Frame,
} from '../../src';
import { LLMService } from '../../src/provider';
import { functionCallResponse, ResponseScript, textResponse, type FakeReply } from '../../src/testing';
import { comparable } from '../support/replay';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-chat-0123456789');
const chat = (options: ConstructorParameters<typeof OpenAILLMService>[0] = {}) =>
  new OpenAILLMService({ apiKey: 'sk-chat-0123456789', baseURL: fake.server().baseURL, maxRetries: 0, logger: recordingLogger(), ...options });
const weather = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

/** A conversation: a question that calls a tool, its answer, then a follow-up question. */
async function conversation(llm: OpenAILLMService | OpenAIResponsesLLMService, replies: FakeReply[]): Promise<Frame[]> {
  fake.server().enqueue(...replies);
  (llm as OpenAILLMService).registerFunction('get_weather', ({ arguments: args }) => `${String(args.city)}: sunny`);
  const pair = new LLMContextAggregatorPair(new LLMContext([], [weather]));
  const input = new Subject<Frame>();
  const output: Frame[] = [];
  input.pipe(pair.user(), llm.operator(), pair.assistant()).subscribe((frame) => output.push(frame));
  const ends = (count: number) => fake.server().waitFor(() => output.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length === count);
  input.next(new TextFrame({ text: 'Weather in Paris?' }));
  await ends(2);
  input.next(new TextFrame({ text: 'Thanks!' }));
  await ends(3);
  input.complete();
  return output;
}

describe('OpenAILLMService (Chat Completions)', () => {
  it('the same conversation, tools included, gives the same frames as the Responses service', async () => {
    const replies = (): FakeReply[] => [
      { kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_w' }], { inputTokens: 20, outputTokens: 5 }) },
      { kind: 'stream', events: textResponse(['It is ', 'sunny in Paris.'], { inputTokens: 30, outputTokens: 6 }) },
      { kind: 'stream', events: textResponse('You are welcome.', { inputTokens: 40, outputTokens: 4 }) },
    ];
    const responses = await conversation(fake.service(), replies());
    const chatFrames = await conversation(chat(), replies());
    expect(chatFrames.map(comparable)).toEqual(responses.map(comparable));
    expect(chatFrames.map((frame) => frame.type)).toContain('FunctionCallResultFrame');
    const chatRequests = fake.server().requests.slice(3);
    expect(chatRequests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions', '/v1/chat/completions']);
    expect(chatRequests[1]?.body?.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_w', content: 'Paris: sunny' },
    ]);
  });

  it('sends the settings Chat Completions has: the instruction as a system message, penalties and seed, usage asked for', async () => {
    const harness = new OperatorHarness(chat({ settings: { model: 'llama3.1', systemInstruction: 'Be brief.', temperature: 0.2, frequencyPenalty: 0.5, presencePenalty: -0.5, seed: 7, maxCompletionTokens: 64 } }));
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }], [weather], 'auto') }));
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('OK');
    expect(fake.server().requests[0]?.body).toEqual({
      model: 'llama3.1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      seed: 7,
      max_completion_tokens: 64,
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: weather.function.parameters, strict: false } }],
      tool_choice: 'auto',
      stream: true,
      stream_options: { include_usage: true },
    });
    harness.stop();
  });

  it('an answer cut off at the length limit: the text, then an LLMIncompleteError; its calls are not run', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().text('Half ').functionCall({ name: 'get_weather', arguments: '{"ci' }).incomplete() });
    const llm = chat();
    const handler = jest.fn(() => 'x');
    llm.registerFunction('get_weather', handler);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('Half ');
    expect(harness.errorMessages()).toEqual(['LLM response incomplete: max_output_tokens (function call "get_weather" not run)']);
    expect(harness.output.find((frame) => frame.type === 'ErrorFrame')).toMatchObject({ exception: expect.any(LLMIncompleteError) });
    expect(handler).not.toHaveBeenCalled();
    harness.stop();
  });

  it('errors, retries and redaction are the core\'s: an echoed key is redacted, a 500 is retried', async () => {
    fake.server().enqueue(
      { kind: 'http-error', status: 500, message: 'busy', headers: { 'retry-after-ms': '1' } },
      { kind: 'http-error', status: 401, message: 'Incorrect API key provided: sk-chat-0123456789' },
    );
    const harness = new OperatorHarness(chat({ maxRetries: 1 }));
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['LLM request failed with HTTP 401: Incorrect API key provided: [redacted]']);
    expect(harness.output.find((frame) => frame.type === 'ErrorFrame')).toMatchObject({ exception: expect.any(LLMRequestError) });
    expect(fake.server().requests).toHaveLength(2);
    harness.stop();
  });

  it('an interruption aborts the request, closes the response and is forwarded', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b', 'c']), stallAfter: 3 });
    const harness = new OperatorHarness(chat());
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
    await harness.waitFor(() => harness.count('LLMTextFrame') >= 1);
    harness.send(new InterruptionFrame());
    expect(harness.types().slice(-2)).toEqual(['LLMFullResponseEndFrame', 'InterruptionFrame']);
    await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    harness.stop();
  });

  it('runInference asks for one completion and resolves to its text', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse('Paris.') });
    const answer = await chat().runInference(new LLMContext([{ role: 'user', content: 'Capital of France?' }]), { maxTokens: 10, systemInstruction: 'One word.' });
    expect(answer).toBe('Paris.');
    expect(fake.server().requests[0]?.body).toMatchObject({ stream: false, max_completion_tokens: 10, messages: [{ role: 'system', content: 'One word.' }, { role: 'user', content: 'Capital of France?' }] });
  });

  it('a hosted tool is an ErrorFrame naming it: Chat Completions has none', async () => {
    const harness = new OperatorHarness(chat());
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }], [{ type: 'web_search' }]) }));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['Invalid context at tools[0].type: hosted tool "web_search" is only available with OpenAIResponsesLLMService']);
    expect(fake.server().requests).toHaveLength(0);
    harness.stop();
  });

  it('is an LLMService, like the Responses one: the same core, configured by another provider folder', () => {
    expect(chat()).toBeInstanceOf(LLMService);
    expect(fake.service()).toBeInstanceOf(LLMService);
  });
});
