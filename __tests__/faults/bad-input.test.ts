import { config, Subject } from 'rxjs';
import {
  ContextValidationError,
  FrameValidationError,
  LLMContext,
  LLMContextAggregatorPair,
  LLMContextFrame,
  LLMMessagesAppendFrame,
  LLMUpdateSettingsFrame,
  OpenAIResponsesLLMService,
  SettingsValidationError,
  TextFrame,
  type ErrorFrame,
  type Frame,
} from '../../src';
import { functionCallResponse, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';
import { ask, expectNextContextWorks } from './support';

const fake = useFakeServer('sk-faults-input-0123456789');
const errorsOf = (harness: OperatorHarness) => harness.output.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');

describe('bad input: a clear typed error naming the field, nothing sent, the pipeline alive', () => {
  it('invalid settings at construction throw a SettingsValidationError naming the field and range', () => {
    expect(() => new OpenAIResponsesLLMService({ settings: { topP: 3 } })).toThrow(new SettingsValidationError('topP', 'a number from 0 to 1, or null', 3));
    expect(() => new OpenAIResponsesLLMService({ settings: { temprature: 1 } as never })).toThrow('Invalid setting "temprature": expected the setting "temperature" (names are camelCase)');
    expect(() => new OpenAIResponsesLLMService({ settings: { max_tokens: 1 } as never })).toThrow('Invalid setting "max_tokens": expected the setting "maxCompletionTokens"');
    expect(() => new OpenAIResponsesLLMService({ settings: { zzz: 1 } as never })).toThrow(/Invalid setting "zzz": expected one of the known settings \(model, /);
    expect(() => new OpenAIResponsesLLMService({ maxFunctionCallRounds: 0 })).toThrow(/Invalid setting "maxFunctionCallRounds": expected an integer of 1 or more, got 0/);
    expect(() => new OpenAIResponsesLLMService({ transport: 'udp' as never })).toThrow(/Invalid setting "transport": expected 'http' or 'websocket', got "udp"/);
  });

  it('snake_case and misspelt options from plain JavaScript throw naming the camelCase option, never showing the value; other unknown names warn', () => {
    const construct = (options: object) => new OpenAIResponsesLLMService({ logger: recordingLogger(), ...options } as never);
    expect(() => construct({ api_key: 'sk-secret-0123456789' })).toThrow('Invalid setting "api_key": expected the option "apiKey" (names are camelCase), got "an unknown option"');
    expect(() => construct({ base_url: 'http://x/v1' })).toThrow('expected the option "baseURL"');
    expect(() => construct({ max_retries: 1 })).toThrow('expected the option "maxRetries"');
    expect(() => construct({ api_key: 'sk-secret-0123456789' })).not.toThrow(/sk-secret/);
    const logger = recordingLogger();
    new OpenAIResponsesLLMService({ logger, myAppConfig: true } as never);
    expect(logger.lines.join('\n')).toMatch(/unknown option "myAppConfig" is ignored; the options are .*apiKey/);
    expect(() => construct({ dangerouslyAllowBrowser: 'yes' })).toThrow(/Invalid setting "dangerouslyAllowBrowser": expected a boolean/);
  });

  it('a baseURL without /v1 gets the API\'s 404 from the fake server too, and the ErrorFrame says what to fix', async () => {
    const base = fake.server().baseURL.replace(/\/v1$/, '');
    const harness = new OperatorHarness(fake.service({ baseURL: base }));
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(errorsOf(harness).map((frame) => frame.error)).toEqual([
      "LLM request failed with HTTP 404: Invalid URL (POST /responses) (baseURL lacks the API's version path: the request went to /responses; use a baseURL that ends in /v1, e.g. https://api.openai.com/v1)",
    ]);
    expect(fake.server().requests.map((request) => request.path)).toEqual(['/responses']);
    harness.stop();
  });

  it('an invalid LLMUpdateSettingsFrame: ErrorFrame, previous settings kept, next context uses them', async () => {
    const llm = fake.service({ settings: { temperature: 0.5 } });
    const harness = new OperatorHarness(llm);
    harness.send(new LLMUpdateSettingsFrame({ delta: { temperature: 0.2, maxCompletionTokens: 0 } as never }));
    expect(errorsOf(harness).map((frame) => frame.error)).toEqual(['Invalid setting "maxCompletionTokens": expected a positive integer (1 or more), or null, got 0']);
    expect(errorsOf(harness)[0]?.exception).toBeInstanceOf(SettingsValidationError);
    expect(llm.settings.temperature).toBe(0.5);
    await expectNextContextWorks(harness, fake.server());
    expect(fake.server().requests[0]?.body?.temperature).toBe(0.5);
  });

  it.each([
    ['an unknown message role', new LLMContext([{ role: 'robot', content: 'beep' } as never]), 'Invalid context at messages[0].role: unknown role "robot"; allowed: system, developer, user, assistant, tool, item'],
    ['an empty context', new LLMContext(), 'Invalid context at messages: the context has no messages and no systemInstruction is set; add a message before running the LLM'],
    [
      'a tool whose schema is invalid',
      new LLMContext([{ role: 'user', content: 'hi' }], [{ type: 'function', function: { name: 'f', parameters: { type: 'array' } } }]),
      'Invalid context at tools[0].parameters: a JSON Schema object with type "object"',
    ],
    ['a tool without a name', new LLMContext([{ role: 'user', content: 'hi' }], [{ type: 'function', function: { description: 'x' } } as never]), 'Invalid context at tools[0].name: a function name of 1 to 64 letters, digits, _ or -'],
    ['an image part without a url', new LLMContext([{ role: 'user', content: [{ type: 'image_url', image_url: {} } as never] }]), 'Invalid context at messages[0].content[0]: expected a text part, an image_url part with a url, or a file part'],
  ])('%s', async (_name, context, message) => {
    const harness = new OperatorHarness(fake.service());
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    expect(errorsOf(harness).map((frame) => frame.error)).toEqual([message]);
    expect(errorsOf(harness)[0]?.exception).toBeInstanceOf(ContextValidationError);
    expect(fake.server().requests).toHaveLength(0);
    await expectNextContextWorks(harness, fake.server());
  });

  it('a function result that cannot be serialised: the model gets an error result, the turn and the pipeline go on', async () => {
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'big', arguments: {} }]) }, { kind: 'stream', events: textResponse('Sorry.') });
    const llm = fake.service();
    llm.registerFunction('big', () => ({ value: BigInt(1) }));
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(errorsOf(harness).map((frame) => frame.error)).toEqual(['The result of function "big" cannot be serialised to JSON']);
    const output = (fake.server().requests[1]?.body?.input as { type: string; output?: string }[]).find((item) => item.type === 'function_call_output');
    expect(output?.output).toBe('{"error":"The result of function \\"big\\" cannot be serialised to JSON"}');
    await expectNextContextWorks(harness, fake.server());
  });
});

describe('plain-JavaScript frames: an ErrorFrame naming the field, the frame dropped, the pipeline alive', () => {
  it.each([
    ['LLMMessagesAppendFrame({ messages: "hi" })', () => new LLMMessagesAppendFrame({ messages: 'hi' } as never), /^Invalid frame: LLMMessagesAppendFrame\.messages must be an array of chat messages \(\{ role, content \}\), got "hi"; the frame was dropped$/],
    ['LLMMessagesAppendFrame({ messages: [{}] })', () => new LLMMessagesAppendFrame({ messages: [{}] } as never), /^Invalid frame: LLMMessagesAppendFrame\.messages must be an array of chat messages/],
    ['LLMContextFrame({ context: {} })', () => new LLMContextFrame({ context: {} as never }), /^Invalid frame: LLMContextFrame\.context must be an LLMContext, got an object; the frame was dropped$/],
    ['LLMUpdateSettingsFrame({ delta: 3 })', () => new LLMUpdateSettingsFrame({ delta: 3 as never }), /^Invalid frame: LLMUpdateSettingsFrame\.delta must be an object of settings, got 3/],
    ['null instead of a frame', () => null as never, /^Invalid frame: frame must be a frame object with a string type, got null/],
    ['a string instead of a frame', () => 'hello' as never, /^Invalid frame: frame must be a frame object with a string type, got "hello"/],
  ])('%s', async (_name, makeFrame, message) => {
    const harness = new OperatorHarness(fake.service());
    harness.send(makeFrame());
    expect(errorsOf(harness)).toHaveLength(1);
    expect(errorsOf(harness)[0]!.error).toMatch(message);
    expect(errorsOf(harness)[0]!.exception).toBeInstanceOf(FrameValidationError);
    expect(harness.errors).toEqual([]);
    expect(fake.server().requests).toHaveLength(0);
    await expectNextContextWorks(harness, fake.server());
  });

  it("new TextFrame('Hello') (Python habit) through the aggregators and the LLM: an ErrorFrame, and the next input works", async () => {
    const pair = new LLMContextAggregatorPair();
    const llm = fake.service();
    const input = new Subject<Frame>();
    const output: Frame[] = [];
    let failed: unknown;
    input.pipe(pair.user(), llm.operator(), pair.assistant()).subscribe({ next: (frame) => output.push(frame), error: (error) => (failed = error) });
    input.next(new TextFrame('Hello' as never));
    input.next(null as never);
    const errors = output.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
    expect(errors.map((frame) => frame.error)).toEqual([
      'Invalid frame: TextFrame.text must be a string, got undefined; the frame was dropped',
      'Invalid frame: frame must be a frame object with a string type, got null; the frame was dropped',
    ]);
    input.next(new TextFrame({ text: 'Hello' }));
    await fake.server().waitFor(() => output.some((frame) => frame.type === 'LLMFullResponseEndFrame'));
    expect(failed).toBeUndefined();
    expect(pair.context.messages).toEqual([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'OK' },
    ]);
    input.complete();
  });
});

describe('event handlers that fail', () => {
  afterEach(() => {
    config.onUnhandledError = null;
  });

  it('a throwing and a rejecting handler are logged (redacted) and never reach the process; other handlers still run', async () => {
    const unhandled = jest.fn();
    config.onUnhandledError = unhandled;
    const logger = recordingLogger();
    const llm = fake.service({ apiKey: 'sk-handler-secret-0123456789', logger });
    llm.on('functionCallsStarted', () => {
      throw new Error('handler bug with sk-handler-secret-0123456789');
    });
    llm.on('functionCallsStarted', async () => {
      throw new Error('async handler bug');
    });
    const seen: string[] = [];
    llm.on('functionCallsStarted', (_service, calls) => void seen.push(...calls.map((call) => call.functionName)));
    llm.registerFunction('f', () => 'ok');
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'f', arguments: {} }]) });
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }], [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }]) }));
    await harness.waitForEnds(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['f']);
    expect(logger.lines).toEqual([
      expect.stringMatching(/'functionCallsStarted' handler failed: handler bug with \[redacted\]$/),
      expect.stringMatching(/'functionCallsStarted' handler failed: async handler bug$/),
    ]);
    expect(unhandled).not.toHaveBeenCalled();
    expect(harness.errors).toEqual([]);
    harness.stop();
  });
});
