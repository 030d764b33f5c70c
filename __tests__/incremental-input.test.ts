import type { ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';
import { incrementalInput } from '../src/services/openai-responses/incremental-input';

const user = (text: string): ResponseInputItem => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): ResponseInputItem => ({ type: 'message', role: 'assistant', content: text });
const outputMessage = (text: string): ResponseOutputItem => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'output_text', text, annotations: [] }],
});

describe('incrementalInput', () => {
  it('sends everything on the first turn', () => {
    expect(incrementalInput([user('Hi')], undefined)).toEqual({ input: [user('Hi')], previousResponseId: undefined });
  });

  it('sends only the new items with previous_response_id when the prefix is the last input plus its output', () => {
    const last = { id: 'resp_1', input: [user('Hi')], output: [outputMessage('Hello!')] };
    expect(incrementalInput([user('Hi'), assistant('Hello!'), user('How are you?')], last)).toEqual({
      input: [user('How are you?')],
      previousResponseId: 'resp_1',
    });
  });

  it('carries function call outputs after a function call response', () => {
    const call: ResponseOutputItem = { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'now', arguments: '{}', status: 'completed' };
    const last = { id: 'resp_2', input: [user('Time?')], output: [call] };
    const output: ResponseInputItem = { type: 'function_call_output', call_id: 'c1', output: '12:00' };
    const full: ResponseInputItem[] = [user('Time?'), { type: 'function_call', call_id: 'c1', name: 'now', arguments: '{}' }, output];
    expect(incrementalInput(full, last)).toEqual({ input: [output], previousResponseId: 'resp_2' });
  });

  it('falls back to the full input when the history changed', () => {
    const last = { id: 'resp_1', input: [user('Hi')], output: [outputMessage('Hello!')] };
    const edited = [user('Hi'), assistant('Hello! (edited)'), user('More')];
    expect(incrementalInput(edited, last)).toEqual({ input: edited, previousResponseId: undefined });
  });

  it('falls back when the answer was cut short (an interrupted response is not what the server kept)', () => {
    const last = { id: 'resp_1', input: [user('Hi')], output: [outputMessage('Hello there, how')] };
    const full = [user('Hi'), assistant('Hello'), user('Stop')];
    expect(incrementalInput(full, last).previousResponseId).toBeUndefined();
  });

  it('ignores reasoning items on both sides', () => {
    const reasoning: ResponseInputItem = { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'x' };
    const last = { id: 'resp_1', input: [user('Hi')], output: [{ id: 'rs_1', type: 'reasoning', summary: [] } as ResponseOutputItem, outputMessage('Yo')] };
    expect(incrementalInput([user('Hi'), reasoning, assistant('Yo'), user('Next')], last)).toEqual({ input: [user('Next')], previousResponseId: 'resp_1' });
  });
});
