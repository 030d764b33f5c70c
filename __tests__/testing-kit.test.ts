/**
 * The testing kit as a user's tests meet it: scripted responses carry usage as the live API does, and the fake model
 * calls whichever declared tool the user's words name, with arguments made from its schema.
 */
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { fakeModel, functionCallResponse, ResponseScript, textResponse } from '../src/testing';
import type { RecordedRequest } from '../src/testing';

const terminalUsage = (events: readonly ResponseStreamEvent[]) => (events.at(-1) as { response?: { usage?: unknown } }).response?.usage;

describe('scripted responses', () => {
  it('carry usage by default, as the live API always sends it; given counts win; null leaves it out', () => {
    expect(terminalUsage(textResponse('Hello there.'))).toEqual(expect.objectContaining({ input_tokens: 12, output_tokens: expect.any(Number), total_tokens: expect.any(Number) }));
    expect(terminalUsage(functionCallResponse([{ name: 'f', arguments: {} }]))).toEqual(expect.objectContaining({ input_tokens: 12 }));
    expect(terminalUsage(new ResponseScript().text('Part').incomplete())).toEqual(expect.objectContaining({ input_tokens: 12 }));
    expect(terminalUsage(textResponse('Hi', { inputTokens: 5, outputTokens: 2 }))).toEqual({ input_tokens: 5, output_tokens: 2, total_tokens: 7 });
    expect(terminalUsage(textResponse('Hi', null))).toBeUndefined();
  });
});

describe('the fake model', () => {
  const ask = (text: string, tools: readonly object[], input: readonly object[] = []): RecordedRequest => ({
    method: 'POST',
    path: '/v1/responses',
    headers: {},
    body: { model: 'gpt-4.1', tools, input: [...input, { role: 'user', content: text }] },
  });
  const eventsOf = (request: RecordedRequest) => {
    const reply = fakeModel({ eventDelayMs: 0 })(request, 0);
    return reply.kind === 'stream' ? (reply.events as readonly { type: string; item?: Record<string, unknown> }[]) : [];
  };
  const calledItems = (request: RecordedRequest) => eventsOf(request).flatMap((event) => (event.type === 'response.output_item.done' && event.item?.type !== 'message' ? [event.item] : []));

  it('calls a declared tool the user names, with arguments from its JSON Schema', () => {
    const tools = [
      { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] } },
      { type: 'function', name: 'book_table', parameters: { type: 'object', properties: { people: { type: 'number' } }, required: ['people'] } },
    ];
    expect(calledItems(ask('What is the weather in "Oslo" for 3 days?', tools))).toEqual([expect.objectContaining({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Oslo","days":3}' })]);
    expect(calledItems(ask('Please book_table for 4', tools))).toEqual([expect.objectContaining({ name: 'book_table', arguments: '{"people":4}' })]);
  });

  it('gives a custom tool what the user said; echoes when no tool is named; answers with the output after a call', () => {
    expect(calledItems(ask('run_sql: SELECT 1', [{ type: 'custom', name: 'run_sql' }]))).toEqual([expect.objectContaining({ type: 'custom_tool_call', name: 'run_sql', input: 'run_sql: SELECT 1' })]);
    const text = (request: RecordedRequest) => eventsOf(request).flatMap((event) => (event.type === 'response.output_text.delta' ? [String((event as { delta?: unknown }).delta)] : [])).join('');
    expect(text(ask('Hello', [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }]))).toContain('You said: "Hello"');
    const request = ask('x', []);
    (request.body!.input as object[]).push({ type: 'function_call_output', call_id: 'c', output: 'sunny' });
    expect(text(request)).toBe('The tool says: sunny.');
  });
});
