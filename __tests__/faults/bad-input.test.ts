import { ContextValidationError, LLMContext, LLMContextFrame, LLMUpdateSettingsFrame, OpenAIResponsesLLMService, SettingsValidationError, type ErrorFrame } from '../../src';
import { functionCallResponse, textResponse } from '../../src/testing';
import { OperatorHarness, useFakeServer } from '../support/harness';
import { ask, expectNextContextWorks } from './support';

const fake = useFakeServer('sk-faults-input-0123456789');
const errorsOf = (harness: OperatorHarness) => harness.output.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');

describe('bad input: a clear typed error naming the field, nothing sent, the pipeline alive', () => {
  it('invalid settings at construction throw a SettingsValidationError naming the field and range', () => {
    expect(() => new OpenAIResponsesLLMService({ settings: { topP: 3 } })).toThrow(new SettingsValidationError('topP', 'a number from 0 to 1, or null', 3));
    expect(() => new OpenAIResponsesLLMService({ settings: { temprature: 1 } as never })).toThrow(/Invalid setting "temprature": expected one of the known settings/);
    expect(() => new OpenAIResponsesLLMService({ streamReader: 'fast' as never })).toThrow(/Invalid setting "streamReader": expected 'eventsource-parser' or 'sdk'/);
    expect(() => new OpenAIResponsesLLMService({ maxFunctionCallRounds: 0 })).toThrow(/Invalid setting "maxFunctionCallRounds": expected an integer of 1 or more, got 0/);
    expect(() => new OpenAIResponsesLLMService({ transport: 'udp' as never })).toThrow(/Invalid setting "transport": expected 'http' or 'websocket', got "udp"/);
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
    ['an unknown message role', new LLMContext([{ role: 'robot', content: 'beep' } as never]), 'Invalid context at messages[0].role: unknown role "robot"; allowed: system, developer, user, assistant, tool'],
    ['an empty context', new LLMContext(), 'Invalid context at messages: the context has no messages; add one before running the LLM'],
    [
      'a tool whose schema is invalid',
      new LLMContext([{ role: 'user', content: 'hi' }], [{ type: 'function', function: { name: 'f', parameters: { type: 'array' } } }]),
      'Invalid context at tools[0].parameters: a JSON Schema object with type "object"',
    ],
    ['a tool without a name', new LLMContext([{ role: 'user', content: 'hi' }], [{ type: 'function', function: { description: 'x' } } as never]), 'Invalid context at tools[0].name: a function name of 1 to 64 letters, digits, _ or -'],
    ['an image part without a url', new LLMContext([{ role: 'user', content: [{ type: 'image_url', image_url: {} } as never] }]), 'Invalid context at messages[0].content[0]: expected a text part or an image_url part with a url'],
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
