/**
 * Every accent of the wire, scripted where the recordings (replayed by `npm run test:wire`) show it once or not at all:
 * servers that send no `event:` lines, `data:` before `event:`, comments and `[DONE]`; arguments only in the terminal
 * response (OpenRouter); ids that change on every event (GitHub Copilot); items that close out of order; programmatic
 * tool calls; reasoning text; streams without `response.created`; hosted items left open. The frames, the handler's
 * arguments and the follow-up request's body are the evidence.
 */
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { LLMContext, LLMContextFrame, type ErrorFrame, type FunctionCallsStartedFrame, type HostedToolCallFrame } from '../../src';
import { ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-wire-accents-0123456789');
const WEATHER_TOOL = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } as const;
const PING_TOOL = { type: 'function', name: 'ping', parameters: { type: 'object', properties: {} } } as const;
const ask = (tools: readonly object[] = [WEATHER_TOOL]) => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Weather in Paris?' }], tools as never) });
const errorsOf = (harness: OperatorHarness) => harness.output.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
const startedCalls = (harness: OperatorHarness) =>
  harness.output.filter((frame): frame is FunctionCallsStartedFrame => frame.type === 'FunctionCallsStartedFrame').flatMap((frame) => frame.functionCalls.map((call) => [call.functionName, call.arguments]));
type Item = Record<string, unknown> & { type?: string };
const inputOf = (index: number) => (fake.server().requests[index]?.body?.input ?? []) as Item[];

/** A body framed as some servers frame it. */
function body(events: readonly object[], framing: 'data only' | 'data before event', extras: { comment?: string; done?: boolean } = {}): string {
  const blocks = events.map((event) => {
    const data = `data: ${JSON.stringify(event)}`;
    const type = (event as { type: string }).type;
    return framing === 'data only' ? `${data}\n\n` : `${data}\nevent: ${type}\n\n`;
  });
  if (extras.comment) blocks.splice(1, 0, `: ${extras.comment}\n\n`);
  return blocks.join('') + (extras.done ? 'data: [DONE]\n\n' : '');
}

/** A function call streamed with `arguments: ""` everywhere; only the terminal response's output has them (OpenRouter). */
function emptyArgumentsCall(finalArguments: string, name = 'get_weather'): ResponseStreamEvent[] {
  const item = { type: 'function_call', id: 'toolu_1', call_id: 'toolu_1', name, arguments: '' };
  return [
    { type: 'response.created', response: { id: 'gen-1', object: 'response', status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress' } },
    { type: 'response.function_call_arguments.done', output_index: 0, item_id: 'toolu_1', name, arguments: '' },
    { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', call_id: 'toolu_1', name, arguments: '' } },
    { type: 'response.completed', response: { id: 'gen-1', object: 'response', status: 'completed', output: [{ ...item, arguments: finalArguments, status: 'completed' }] } },
  ] as never;
}

function service() {
  const llm = fake.service();
  const seen: unknown[] = [];
  llm.registerFunction('get_weather', ({ arguments: args }) => {
    seen.push(args);
    return { forecast: 'sunny' };
  });
  llm.registerFunction('ping', ({ arguments: args }) => {
    seen.push(args);
    return 'pong';
  });
  return { llm, seen };
}

describe('arguments from the best source', () => {
  it('OpenRouter: no event lines, a comment, [DONE], and arguments only in response.completed: the handler gets them', async () => {
    fake.server().enqueue({ kind: 'sse', body: body(emptyArgumentsCall('{"city":"Paris"}'), 'data only', { comment: 'OPENROUTER PROCESSING', done: true }) }, { kind: 'stream', events: textResponse('Sunny.') });
    const { llm, seen } = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(seen).toEqual([{ city: 'Paris' }]);
    expect(inputOf(1).find((item) => item.type === 'function_call')).toMatchObject({ call_id: 'toolu_1', arguments: '{"city":"Paris"}' });
    expect(harness.text()).toBe('Sunny.');
    harness.stop();
  });

  it('no arguments anywhere for a tool that takes parameters: not run, reported to the app and the model, never run with {}', async () => {
    fake.server().enqueue({ kind: 'stream', events: emptyArgumentsCall('') }, { kind: 'stream', events: textResponse('Which city?') });
    const { llm, seen } = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(seen).toEqual([]);
    expect(errorsOf(harness).map((frame) => frame.error)).toEqual([expect.stringContaining('no arguments for function "get_weather"')]);
    expect(inputOf(1).find((item) => item.type === 'function_call_output')?.output).toContain('no arguments');
    harness.stop();
  });

  it('no arguments for a tool that takes none: run with {}', async () => {
    fake.server().enqueue({ kind: 'stream', events: emptyArgumentsCall('', 'ping') }, { kind: 'stream', events: textResponse('Pong.') });
    const { llm, seen } = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask([PING_TOOL]));
    await harness.waitForEnds(2);
    expect(seen).toEqual([{}]);
    expect(errorsOf(harness)).toEqual([]);
    harness.stop();
  });
});

describe('ids, order and framing', () => {
  it('ids that change on every event (only output_index stable): one call, its arguments whole', async () => {
    const events = [
      { type: 'response.created', response: { id: 'r1', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'function_call', id: 'fc_a', call_id: 'call_1', name: 'get_weather', arguments: '', status: 'in_progress' } },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_b', delta: '{"city":' },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_c', delta: '"Paris"}' },
      { type: 'response.function_call_arguments.done', output_index: 0, item_id: 'fc_d', arguments: '{"city":"Paris"}' },
      // The finished item leaves its arguments out: only the deltas, matched by output_index, have them.
      { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', id: 'fc_e', call_id: 'call_1', name: 'get_weather', status: 'completed' } },
      { type: 'response.completed', response: { id: 'r1', status: 'completed', output: [] } },
    ];
    fake.server().enqueue({ kind: 'sse', body: body(events, 'data before event') }, { kind: 'stream', events: textResponse('Sunny.') });
    const { llm, seen } = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(seen).toEqual([{ city: 'Paris' }]);
    expect(startedCalls(harness)).toEqual([['get_weather', { city: 'Paris' }]]);
    harness.stop();
  });

  it('items that start and close out of order: calls run and go back in output order', async () => {
    const call = (index: number, city: string) => ({ type: 'function_call', id: `fc_${index}`, call_id: `call_${index}`, name: 'get_weather', arguments: JSON.stringify({ city }), status: 'completed' });
    const events = [
      { type: 'response.created', response: { id: 'r1', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 1, item: { ...call(1, 'Rome'), arguments: '', status: 'in_progress' } },
      { type: 'response.output_item.added', output_index: 0, item: { ...call(0, 'Paris'), arguments: '', status: 'in_progress' } },
      { type: 'response.function_call_arguments.delta', output_index: 1, item_id: 'fc_1', delta: '{"city":"Rome"}' },
      { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_0', delta: '{"city":"Paris"}' },
      { type: 'response.output_item.done', output_index: 1, item: call(1, 'Rome') },
      { type: 'response.output_item.done', output_index: 0, item: call(0, 'Paris') },
      { type: 'response.completed', response: { id: 'r1', status: 'completed', output: [call(0, 'Paris'), call(1, 'Rome')] } },
    ];
    fake.server().enqueue({ kind: 'sse', body: body(events, 'data only') }, { kind: 'stream', events: textResponse('Both sunny.') });
    const { llm } = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(startedCalls(harness)).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome' }],
    ]);
    expect(inputOf(1).filter((item) => item.type === 'function_call').map((item) => item.call_id)).toEqual(['call_0', 'call_1']);
    harness.stop();
  });

  it('a stream without response.created, and one whose response.created has no status or output, still answers', async () => {
    const events = textResponse('Resumed.');
    fake.server().enqueue({ kind: 'stream', events: events.filter((event) => event.type !== 'response.created') }, {
      kind: 'stream',
      events: events.map((event) => (event.type === 'response.created' ? ({ type: 'response.created', sequence_number: 0, response: { id: 'r2' } } as never) : event)),
    });
    const harness = new OperatorHarness(fake.service());
    harness.send(ask([]));
    await harness.waitForEnds(1);
    harness.send(ask([]));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('Resumed.Resumed.');
    expect(errorsOf(harness)).toEqual([]);
    harness.stop();
  });
});

describe('new item kinds', () => {
  it('programmatic tool calling: a call whose item stays in_progress runs; the program, the call with its caller and the output go back', async () => {
    const program = { type: 'program', id: 'cm_1', call_id: 'call_prog', code: 'await tools.get_weather({city: "Paris"})', fingerprint: 'fp' };
    const called = { type: 'function_call', id: 'fc_1', call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'in_progress', caller: { type: 'program', caller_id: 'call_prog' } };
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(program).item(called).completed() }, { kind: 'stream', events: textResponse('Sunny.') });
    const { llm, seen } = service();
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(seen).toEqual([{ city: 'Paris' }]);
    expect(inputOf(1).filter((item) => item.type !== 'message')).toEqual([
      program,
      { type: 'function_call', call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}', caller: { type: 'program', caller_id: 'call_prog' } },
      { type: 'function_call_output', call_id: 'call_w', output: '{"forecast":"sunny"}' },
    ]);
    harness.stop();
  });

  it('reasoning_text deltas (DeepSeek, LM Studio) are thoughts, closed before the answer', async () => {
    const events = [
      { type: 'response.created', response: { id: 'r1', status: 'in_progress', output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } },
      { type: 'response.reasoning_text.delta', output_index: 0, item_id: 'rs_1', content_index: 0, delta: 'Think' },
      { type: 'response.reasoning_text.delta', output_index: 0, item_id: 'rs_1', content_index: 0, delta: 'ing.' },
      { type: 'response.output_item.done', output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } },
      ...textResponse('Hi.').filter((event) => !event.type.startsWith('response.created') && !event.type.startsWith('response.in_progress')),
    ];
    fake.server().enqueue({ kind: 'sse', body: body(events, 'data only') });
    const harness = new OperatorHarness(fake.service());
    harness.send(ask([]));
    await harness.waitForEnds(1);
    const thoughts = harness.output.filter((frame) => frame.type.startsWith('LLMThought')).map((frame) => (frame.type === 'LLMThoughtTextFrame' ? frame.text : frame.type));
    expect(thoughts).toEqual(['LLMThoughtStartFrame', 'Think', 'ing.', 'LLMThoughtEndFrame']);
    expect(harness.text()).toBe('Hi.');
    harness.stop();
  });

  it('a hosted item whose last status is not final (Azure: "searching") is closed by the terminal event', async () => {
    const search = { type: 'web_search_call', id: 'ws_1', status: 'searching', action: { type: 'search', query: 'x' } };
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(search).text('Found.').completed() });
    const harness = new OperatorHarness(fake.service());
    harness.send(ask([]));
    await harness.waitForEnds(1);
    const statuses = harness.output.filter((frame): frame is HostedToolCallFrame => frame.type === 'HostedToolCallFrame').map((frame) => frame.status);
    expect(statuses).toEqual(['searching', 'searching', 'completed']);
    harness.stop();
  });
});
