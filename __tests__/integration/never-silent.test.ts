/**
 * A conversation never goes silent: a failure the API reports inside a 200 stream is tried again like the same HTTP
 * failure, an answer with nothing in it is asked again and then reported, and what the model reads next is clean.
 * Over HTTP and WebSocket, with the request bodies the fake server received as the evidence.
 */
import { Subject } from 'rxjs';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMContextFrame,
  LLMEmptyResponseError,
  LLMStreamError,
  LLMSwitcher,
  LLMUpdateSettingsFrame,
  OpenAILLMService,
  OpenAIResponsesLLMService,
  type ErrorFrame,
  type Frame,
  type LLMFullResponseEndFrame,
} from '../../src';
import { ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const KEY = 'sk-never-silent-0123456789';
const fake = useFakeServer(KEY);
const ask = (context = new LLMContext([{ role: 'user', content: 'Hi' }])) => new LLMContextFrame({ context });
const errorsOf = (harness: OperatorHarness) => harness.output.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
const inputTypes = (index: number) => ((fake.server().requests[index]?.body?.input ?? []) as { type?: string }[]).map((item) => item.type ?? 'message');

describe.each(['http', 'websocket'] as const)('in-stream failures before any output, over %s', (transport) => {
  const service = (options: ConstructorParameters<typeof OpenAIResponsesLLMService>[0] = {}) => fake.service({ transport, maxRetries: 2, ...options });

  it('a rate-limit error event is retried after the wait it names, then the answer streams once', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: new ResponseScript().error('Rate limit reached. Please try again in 20ms.', 'rate_limit_exceeded') },
      { kind: 'stream', events: textResponse('Hello.') },
    );
    const llm = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('Hello.');
    expect(errorsOf(harness)).toEqual([]);
    expect(harness.count('LLMFullResponseStartFrame')).toBe(1);
    expect(fake.server().requests).toHaveLength(2);
    harness.stop();
    llm.close();
  });

  it('response.failed with a server error is retried; the retry carries the same input', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().failed('The server had an error', 'server_error') }, { kind: 'stream', events: textResponse('Fine.') });
    const llm = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('Fine.');
    expect(errorsOf(harness)).toEqual([]);
    expect(inputTypes(1)).toEqual(inputTypes(0));
    harness.stop();
    llm.close();
  });

  it('a quota error is not retried: one ErrorFrame naming it, and the next context works', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().error('You exceeded your current quota.', 'insufficient_quota') });
    const llm = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['LLM stream error: You exceeded your current quota.']);
    expect((errorsOf(harness)[0]!.exception as LLMStreamError).code).toBe('insufficient_quota');
    expect(fake.server().requests).toHaveLength(1);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('OK');
    harness.stop();
    llm.close();
  });

  it('after output has started, an error event is final: no retry, the text stays, one ErrorFrame', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().text('Half an ').error('Overloaded', 'server_error') });
    const llm = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('Half an ');
    expect(harness.errorMessages()).toEqual(['LLM stream error: Overloaded']);
    expect(fake.server().requests).toHaveLength(1);
    harness.stop();
    llm.close();
  });
});

describe('LLMSwitcher and in-stream failures', () => {
  it('fails over on a rate limit reported in the stream, as on a thrown one', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().error('Rate limit reached', 'rate_limit_exceeded') }, { kind: 'stream', events: textResponse('From the fallback.') });
    const primary = fake.service({ maxRetries: 0, name: 'primary' });
    const fallback = fake.service({ maxRetries: 0, name: 'fallback' });
    const switcher = new LLMSwitcher({ services: [primary, fallback] });
    const harness = new OperatorHarness(switcher);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('From the fallback.');
    expect(errorsOf(harness)).toEqual([]);
    expect(switcher.activeService).toBe(fallback);
    harness.stop();
  });
});

describe.each(['http', 'websocket'] as const)('empty answers, over %s', (transport) => {
  const reasoningOnly = () => new ResponseScript({ model: 'gpt-5' }).reasoning(['Thinking it over'], 'gAAAA-encrypted').completed();

  it('an answer with only reasoning is asked again once, with the full input, and nothing of it is kept', async () => {
    fake.server().enqueue({ kind: 'stream', events: reasoningOnly() }, { kind: 'stream', events: textResponse('The answer.') });
    const llm = fake.service({ transport, settings: { model: 'gpt-5' } });
    const events: unknown[] = [];
    llm.on('emptyResponse', (_service, willRetry) => void events.push(willRetry));
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'Hi' }]);
    harness.send(ask(context));
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('The answer.');
    expect(errorsOf(harness)).toEqual([]);
    expect(events).toEqual([true]);
    // The retry is the same request again: no reasoning item of the empty answer, no chain from it.
    expect(inputTypes(1)).toEqual(['message']);
    expect(fake.server().requests[1]?.body?.previous_response_id).toBeUndefined();
    expect(JSON.stringify(context.messages)).not.toContain('gAAAA-encrypted');
    harness.stop();
    llm.close();
  });

  it('still empty when asked again: an ErrorFrame (LLMEmptyResponseError) and the event; the next request carries no orphan reasoning', async () => {
    fake.server().enqueue({ kind: 'stream', events: reasoningOnly() }, { kind: 'stream', events: reasoningOnly() }, { kind: 'stream', events: textResponse('Back.') });
    const llm = fake.service({ transport, settings: { model: 'gpt-5' } });
    const events: unknown[] = [];
    llm.on('emptyResponse', (_service, willRetry) => void events.push(willRetry));
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'Hi' }]);
    harness.send(ask(context));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['LLM response was empty: no text, no refusal and no function call, also when asked again']);
    expect(errorsOf(harness)[0]!.exception).toBeInstanceOf(LLMEmptyResponseError);
    expect(events).toEqual([true, false]);
    context.addUserMessage('Hello?');
    harness.send(ask(context));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('Back.');
    expect(inputTypes(2)).toEqual(['message', 'message']);
    harness.stop();
    llm.close();
  });

  it('emptyResponseRetries: 0 reports the first empty answer at once', async () => {
    fake.server().enqueue({ kind: 'stream', events: reasoningOnly() });
    const llm = new OpenAIResponsesLLMService({ apiKey: KEY, baseURL: fake.server().baseURL, transport, emptyResponseRetries: 0, logger: recordingLogger() });
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual(['LLM response was empty: no text, no refusal and no function call']);
    expect(fake.server().requests).toHaveLength(1);
    harness.stop();
    llm.close();
  });
});

describe('reasoning belongs to the model and the service that produced it', () => {
  const reasoned = () => new ResponseScript({ model: 'gpt-5' }).reasoning(['Weighing it'], 'gAAAA-from-gpt-5').text('First answer.').completed();
  const reasoningSent = (index: number) => ((fake.server().requests[index]?.body?.input ?? []) as { type?: string }[]).filter((item) => item.type === 'reasoning').length;

  it('sent back to the same model; after a switch to another model, left out (the visible text stays)', async () => {
    fake.server().enqueue({ kind: 'stream', events: reasoned() }, { kind: 'stream', events: textResponse('Second.') }, { kind: 'stream', events: textResponse('Third.') });
    const llm = fake.service({ settings: { model: 'gpt-5' } });
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'Hi' }]);
    harness.send(ask(context));
    await harness.waitForEnds(1);
    context.addMessage({ role: 'assistant', content: 'First answer.' });
    context.addUserMessage('And?');
    harness.send(ask(context));
    await harness.waitForEnds(2);
    expect(reasoningSent(1)).toBe(1);
    harness.send(new LLMUpdateSettingsFrame({ delta: { model: 'gpt-5-mini' } }));
    context.addUserMessage('Once more?');
    harness.send(ask(context));
    await harness.waitForEnds(3);
    expect(reasoningSent(2)).toBe(0);
    expect(JSON.stringify(fake.server().requests[2]?.body)).toContain('First answer.');
    harness.stop();
  });

  it('after a failover, the other service is not sent the first one\'s encrypted reasoning', async () => {
    fake.server().enqueue({ kind: 'stream', events: reasoned() }, { kind: 'http-error', status: 503, message: 'busy' }, { kind: 'stream', events: textResponse('From the fallback.') });
    const primary = fake.service({ maxRetries: 0, name: 'primary', settings: { model: 'gpt-5' } });
    const fallback = fake.service({ maxRetries: 0, name: 'fallback', settings: { model: 'gpt-5' } });
    const switcher = new LLMSwitcher({ services: [primary, fallback] });
    const harness = new OperatorHarness(switcher);
    const context = new LLMContext([{ role: 'user', content: 'Hi' }]);
    harness.send(ask(context));
    await harness.waitForEnds(1);
    context.addUserMessage('And?');
    harness.send(ask(context));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('First answer.From the fallback.');
    expect(reasoningSent(1)).toBe(1);
    expect(reasoningSent(2)).toBe(0);
    harness.stop();
  });

  it('over WebSocket, a model change starts a new chain: no previous_response_id', async () => {
    fake.server().enqueue({ kind: 'stream', events: reasoned() }, { kind: 'stream', events: textResponse('Same model.') }, { kind: 'stream', events: textResponse('Other model.') });
    const llm = fake.service({ transport: 'websocket', settings: { model: 'gpt-5' } });
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'Hi' }]);
    harness.send(ask(context));
    await harness.waitForEnds(1);
    context.addMessage({ role: 'assistant', content: 'First answer.' });
    context.addUserMessage('And?');
    harness.send(ask(context));
    await harness.waitForEnds(2);
    expect(fake.server().requests[1]?.body?.previous_response_id).toEqual(expect.any(String));
    context.addMessage({ role: 'assistant', content: 'Same model.' });
    harness.send(new LLMUpdateSettingsFrame({ delta: { model: 'gpt-5-mini' } }));
    context.addUserMessage('Switch?');
    harness.send(ask(context));
    await harness.waitForEnds(3);
    expect(fake.server().requests[2]?.body?.previous_response_id).toBeUndefined();
    expect(reasoningSent(2)).toBe(0);
    harness.stop();
    llm.close();
  });
});

describe('partial answers are marked, not taken for finished ones (Pipecat #5575)', () => {
  const partialItems = (index: number) =>
    ((fake.server().requests[index]?.body?.input ?? []) as { type?: string; role?: string; status?: string; id?: string; content?: unknown }[]).filter((item) => item.role === 'assistant');

  it('an interrupted answer goes back as its own output item, status incomplete, with what the user heard', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse(['1. Open the ', 'door. 2. Walk in.']), stallAfter: 5 }, { kind: 'stream', events: textResponse('Sure.') });
    const llm = fake.service();
    const pair = new LLMContextAggregatorPair(new LLMContext([{ role: 'user', content: 'How do I get in?' }]));
    const input = new Subject<Frame>();
    const output: Frame[] = [];
    input.pipe(llm.operator(), pair.assistant()).subscribe((frame) => output.push(frame));
    input.next(new LLMContextFrame({ context: pair.context }));
    await fake.server().waitFor(() => output.some((frame) => frame.type === 'LLMTextFrame'));
    input.next(new InterruptionFrame());
    pair.context.addUserMessage('Wait, which door?');
    input.next(new LLMContextFrame({ context: pair.context }));
    await fake.server().waitFor(() => output.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length === 2);
    expect(partialItems(1)).toEqual([
      { type: 'message', id: expect.stringMatching(/^msg_/), role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: '1. Open the ', annotations: [] }] },
    ]);
    // A finished answer stays an ordinary message.
    pair.context.addUserMessage('Thanks');
    input.next(new LLMContextFrame({ context: pair.context }));
    await fake.server().waitFor(() => output.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length === 3);
    expect(partialItems(2).at(-1)).toEqual({ type: 'message', role: 'assistant', content: 'Sure.' });
  });

  it('a response that failed after some text: its End says incomplete, and the text goes back marked', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().text('Half an ').error('Overloaded', 'server_error') }, { kind: 'stream', events: textResponse('Again.') });
    const llm = fake.service();
    const pair = new LLMContextAggregatorPair(new LLMContext([{ role: 'user', content: 'Hi' }]));
    const input = new Subject<Frame>();
    const output: Frame[] = [];
    input.pipe(llm.operator(), pair.assistant()).subscribe((frame) => output.push(frame));
    input.next(new LLMContextFrame({ context: pair.context }));
    await fake.server().waitFor(() => output.some((frame) => frame.type === 'LLMFullResponseEndFrame'));
    expect(output.find((frame): frame is LLMFullResponseEndFrame => frame.type === 'LLMFullResponseEndFrame')?.incomplete).toBe(true);
    pair.context.addUserMessage('Go on');
    input.next(new LLMContextFrame({ context: pair.context }));
    await fake.server().waitFor(() => output.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length === 2);
    expect(partialItems(1)).toEqual([expect.objectContaining({ status: 'incomplete', content: [expect.objectContaining({ text: 'Half an ' })] })]);
  });

  it('over Chat Completions, which has no item status, the partial text goes as a plain message (no unknown fields)', async () => {
    const llm = new OpenAILLMService({ apiKey: KEY, baseURL: fake.server().baseURL, maxRetries: 0, logger: recordingLogger() });
    const context = new LLMContext([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Half an ', status: 'incomplete', itemId: 'msg_1' }, { role: 'user', content: 'Go on' }]);
    const harness = new OperatorHarness(llm);
    harness.send(ask(context));
    await harness.waitForEnds(1);
    expect(fake.server().requests[0]?.body?.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Half an ' },
      { role: 'user', content: 'Go on' },
    ]);
    harness.stop();
  });
});
