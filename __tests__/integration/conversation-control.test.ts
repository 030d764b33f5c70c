import {
  LLMContext,
  LLMContextFrame,
  LLMMessagesUpdateFrame,
  LLMRunFrame,
  LLMSetToolChoiceFrame,
  LLMSetToolsFrame,
  TextFrame,
} from '../../src';
import { OperatorHarness, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-control-0123456789');
const timeTool = { type: 'function' as const, name: 'get_time', parameters: { type: 'object', properties: {} } };

describe('conversation control frames', () => {
  it('LLMRunFrame on an empty context with a systemInstruction: the bot speaks first', async () => {
    const harness = new OperatorHarness(fake.service({ settings: { systemInstruction: 'Greet the caller warmly.' } }));
    harness.send(new LLMRunFrame());
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('OK');
    expect(fake.server().requests[0]?.body?.input).toEqual([{ type: 'message', role: 'developer', content: 'Greet the caller warmly.' }]);
    harness.stop();
  });

  it('LLMRunFrame with neither messages nor an instruction is an ErrorFrame, and nothing is sent', async () => {
    const harness = new OperatorHarness(fake.service());
    harness.send(new LLMRunFrame());
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['Invalid context at messages: the context has no messages and no systemInstruction is set; add a message before running the LLM']);
    expect(fake.server().requests).toHaveLength(0);
    harness.stop();
  });

  it('update, tools and tool choice apply to the current context in order with the other frames, and run when asked', async () => {
    const context = new LLMContext([{ role: 'user', content: 'old' }]);
    const harness = new OperatorHarness(fake.service());
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    harness.send(
      new TextFrame({ text: 'passes' }),
      new LLMSetToolsFrame({ tools: [timeTool] }),
      new LLMSetToolChoiceFrame({ toolChoice: 'required' }),
      new LLMMessagesUpdateFrame({ messages: [{ role: 'user', content: 'What time is it?' }], runLlm: true }),
    );
    await harness.waitForEnds(2);
    const [first, second] = fake.server().requests.map((request) => request.body!);
    // The first request went out before the later frames changed the context.
    expect(first).toMatchObject({ input: [{ type: 'message', role: 'user', content: 'old' }] });
    expect(first).not.toHaveProperty('tools');
    expect(second).toMatchObject({ input: [{ type: 'message', role: 'user', content: 'What time is it?' }], tool_choice: 'required', tools: [expect.objectContaining({ name: 'get_time' })] });
    expect(context.messages).toEqual([{ role: 'user', content: 'What time is it?' }]);
    expect(harness.output.find((frame) => frame.type === 'TextFrame')).toMatchObject({ text: 'passes' });
    harness.stop();
  });

  it('an update without runLlm changes the context and sends nothing', async () => {
    const context = new LLMContext([{ role: 'user', content: 'a' }]);
    const harness = new OperatorHarness(fake.service());
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    harness.send(new LLMMessagesUpdateFrame({ messages: [{ role: 'system', content: 'reset' }] }), new LLMSetToolsFrame({ tools: undefined }));
    expect(context.messages).toEqual([{ role: 'system', content: 'reset' }]);
    expect(context.tools).toBeUndefined();
    expect(fake.server().requests).toHaveLength(1);
    harness.stop();
  });
});
