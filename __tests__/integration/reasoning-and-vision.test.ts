import { Subject } from 'rxjs';
import { LLMContext, LLMContextAggregatorPair, LLMContextFrame, TextFrame, type Frame } from '../../src';
import { defaultReasoningFor, isReasoningModel } from '../../src/services/openai-responses/reasoning';
import { ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-test-reasoning');
const ask = (text = 'Think about it') => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });

describe('reasoning', () => {
  it('streams the summary as thought frames before the answer, and counts reasoning tokens', async () => {
    fake.server().enqueue({
      kind: 'stream',
      events: new ResponseScript({ model: 'gpt-5' }).reasoning(['Weighing ', 'options'], 'enc-1').text('Answer.').completed({ inputTokens: 10, outputTokens: 30, reasoningTokens: 24 }),
    });
    const harness = new OperatorHarness(fake.service({ settings: { model: 'gpt-5', reasoning: { effort: 'medium', summary: 'auto' } } }));
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.types().filter((type) => type !== 'MetricsFrame')).toEqual([
      'LLMFullResponseStartFrame',
      'LLMThoughtStartFrame',
      'LLMThoughtTextFrame',
      'LLMThoughtTextFrame',
      'LLMThoughtEndFrame',
      'LLMTextFrame',
      'LLMFullResponseEndFrame',
    ]);
    const thoughts = harness.output.flatMap((frame) => (frame.type === 'LLMThoughtTextFrame' ? [frame.text] : []));
    expect(thoughts.join('')).toBe('Weighing options');
    const usage = harness.output.flatMap((frame) => (frame.type === 'MetricsFrame' ? frame.data : [])).find((data) => data.kind === 'usage');
    expect(usage?.value).toMatchObject({ reasoningTokens: 24, completionTokens: 30 });
    expect(fake.server().requests[0]?.body).toMatchObject({
      model: 'gpt-5',
      reasoning: { effort: 'medium', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
    });
  });

  it('keeps the encrypted reasoning of a tool call and sends it back with the follow-up request', async () => {
    fake.server().enqueue(
      {
        kind: 'stream',
        events: new ResponseScript({ model: 'o4-mini' }).reasoning(['Need the time'], 'ENCRYPTED-BLOB').functionCall({ name: 'now', arguments: {}, callId: 'call_now' }).completed(),
      },
      { kind: 'stream', events: textResponse('It is noon.') },
    );
    const llm = fake.service({ settings: { model: 'o4-mini' } });
    llm.registerFunction('now', () => '12:00');
    const harness = new OperatorHarness(llm);
    const frame = ask('What time is it?');
    harness.send(frame);
    await harness.waitForEnds(2);
    const input = fake.server().requests[1]?.body?.input as Record<string, unknown>[];
    expect(input.map((item) => item.type ?? 'message')).toEqual(['message', 'reasoning', 'function_call', 'function_call_output']);
    expect(input[1]).toEqual({ type: 'reasoning', id: expect.any(String), summary: [{ type: 'summary_text', text: 'Need the time' }], encrypted_content: 'ENCRYPTED-BLOB' });
    expect(frame.context.messages[1]).toMatchObject({ role: 'assistant', reasoning: [{ encrypted_content: 'ENCRYPTED-BLOB' }] });
  });

  it.each([
    ['gpt-5', { effort: 'minimal' }],
    ['gpt-5-mini', { effort: 'minimal' }],
    ['gpt-5.1', { effort: 'none' }],
    ['o4-mini', { effort: 'low' }],
    ['o3', { effort: 'low' }],
  ])('with no reasoning configured, %s gets the lowest effort for latency', async (model, reasoning) => {
    const harness = new OperatorHarness(fake.service({ settings: { model } }));
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(fake.server().requests[0]?.body?.reasoning).toEqual(reasoning);
    expect(fake.server().requests[0]?.body?.include).toEqual(['reasoning.encrypted_content']);
    expect(defaultReasoningFor(model)).toEqual(reasoning);
  });

  it('a non-reasoning model gets no reasoning and no include by default', async () => {
    const harness = new OperatorHarness(fake.service({ settings: { model: 'gpt-4.1' } }));
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(fake.server().requests[0]?.body?.reasoning).toBeUndefined();
    expect(fake.server().requests[0]?.body?.include).toBeUndefined();
    expect(isReasoningModel('gpt-4.1')).toBe(false);
    expect(isReasoningModel('gpt-4o-mini')).toBe(false);
  });

  it('warns once when reasoning is set on a model that does not reason', () => {
    const logger = recordingLogger();
    const llm = fake.service({ logger, settings: { model: 'gpt-4.1', reasoning: { effort: 'high' } } });
    llm.updateSettings({ temperature: 0.2 });
    expect(logger.lines).toEqual([expect.stringMatching(/reasoning is set but gpt-4\.1 is not a reasoning model/)]);
    llm.updateSettings({ model: 'gpt-5' });
    // The reasoning warning is not repeated; the new one says the temperature is left out for a reasoning model.
    expect(logger.lines).toEqual([expect.stringMatching(/reasoning is set but gpt-4\.1/), expect.stringMatching(/temperature is not sent to gpt-5: reasoning models do not accept them/)]);
  });
});

describe('vision', () => {
  it('sends image parts (URL and base64 data) as input_image items', async () => {
    const context = new LLMContext();
    context.addImageMessage('https://example.com/cat.png', 'What is in this picture?');
    context.addImageMessage('data:image/png;base64,iVBORw0KGgo=', undefined, 'high');
    const harness = new OperatorHarness(fake.service());
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    expect(fake.server().requests[0]?.body?.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this picture?' },
          { type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'auto' },
        ],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' }] },
    ]);
  });
});

describe('reasoning kept on every turn', () => {
  it('a text-only turn keeps its encrypted reasoning: the next request sends it before the answer it led to', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript({ model: 'gpt-5' }).reasoning(['Think'], 'gAAAA-sealed-1').text('Paris.').completed() });
    const pair = new LLMContextAggregatorPair();
    const llm = fake.service({ settings: { model: 'gpt-5' } });
    const input = new Subject<Frame>();
    const output: Frame[] = [];
    input.pipe(pair.user(), llm.operator(), pair.assistant()).subscribe((frame) => output.push(frame));
    input.next(new TextFrame({ text: 'Capital of France?' }));
    await fake.server().waitFor(() => output.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length === 1);
    input.next(new TextFrame({ text: 'And of Italy?' }));
    await fake.server().waitFor(() => output.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length === 2);
    expect(fake.server().requests[1]?.body?.input).toEqual([
      { type: 'message', role: 'user', content: 'Capital of France?' },
      { type: 'reasoning', id: expect.stringMatching(/^rs_/), summary: [{ type: 'summary_text', text: 'Think' }], encrypted_content: 'gAAAA-sealed-1' },
      { type: 'message', role: 'assistant', content: 'Paris.' },
      { type: 'message', role: 'user', content: 'And of Italy?' },
    ]);
    input.complete();
  });

  it('reasoning without encrypted content is not kept, and a failed response keeps none', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: new ResponseScript({ model: 'gpt-5' }).reasoning(['Think']).text('A.').completed() },
      { kind: 'stream', events: new ResponseScript({ model: 'gpt-5' }).reasoning(['Think'], 'gAAAA-x').text('B').failed('boom') },
    );
    const context = new LLMContext([{ role: 'user', content: 'Q' }]);
    const harness = new OperatorHarness(fake.service({ settings: { model: 'gpt-5' } }));
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(2);
    expect(context.messages).toEqual([{ role: 'user', content: 'Q' }]);
    harness.stop();
  });
});
