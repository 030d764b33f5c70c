import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { LLMIncompleteError, LLMStreamError, type Frame } from '../src';
import { createResponseRecord } from '../src/llm/response-record';
import { isOutputEvent } from '../src/services/openai-responses/events';
import { framesFromEvent } from '../src/services/openai-responses/frames-from-events';
import { ResponseScript, textResponse } from '../src/testing';

/** The content frames of the events, and the record they left: what the core closes the response with. */
function mapAll(events: readonly ResponseStreamEvent[]) {
  const state = createResponseRecord('gpt-4.1');
  const frames: Frame[] = events.flatMap((event) => [...framesFromEvent(event, state)]);
  const closing = [...(state.error ? [`error:${state.error.message}`] : []), ...(state.usage ? ['usage'] : [])];
  return { frames, state, described: [...frames.map(describeFrame), ...closing] };
}

const describeFrame = (frame: Frame): string => {
  switch (frame.type) {
    case 'LLMTextFrame':
    case 'LLMThoughtTextFrame':
      return `${frame.type}:${frame.text}`;
    case 'ErrorFrame':
      return `ErrorFrame:${frame.error}`;
    case 'MetricsFrame':
      return `MetricsFrame:${frame.data.map((data) => data.kind).join(',')}`;
    default:
      return frame.type;
  }
};

describe('framesFromEvent', () => {
  it('turns each text delta into one LLMTextFrame, in order, and records the usage and the end', () => {
    const { described, state } = mapAll(textResponse(['Hel', 'lo', ' world'], { inputTokens: 10, outputTokens: 3 }));
    expect(described).toEqual(['LLMTextFrame:Hel', 'LLMTextFrame:lo', 'LLMTextFrame: world', 'usage']);
    expect(state.finished).toBe(true);
    expect(state.error).toBeUndefined();
  });

  it('reports all token counts, cached and reasoning included', () => {
    const { state } = mapAll(textResponse('x', { inputTokens: 100, outputTokens: 40, cachedTokens: 64, reasoningTokens: 12 }));
    expect(state.usage).toEqual({ promptTokens: 100, completionTokens: 40, totalTokens: 140, cacheReadInputTokens: 64, cacheCreationInputTokens: 0, reasoningTokens: 12 });
  });

  it('counts a usage field the server omits as 0', () => {
    const { state } = mapAll(textResponse('x', { inputTokens: 5 }));
    expect(state.usage).toEqual({
      promptTokens: 5,
      completionTokens: 0,
      totalTokens: 5,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('forwards the text it got, then records response.incomplete as the failure', () => {
    const { described, state } = mapAll(new ResponseScript().text(['Part', 'ial']).incomplete('max_output_tokens', null));
    expect(described).toEqual(['LLMTextFrame:Part', 'LLMTextFrame:ial', 'error:LLM response incomplete: max_output_tokens']);
    expect(state.error).toBeInstanceOf(LLMIncompleteError);
  });

  it('records response.failed and error events as failures with the API code', () => {
    const failed = mapAll(new ResponseScript().failed('model overloaded', 'server_error'));
    expect(failed.described.filter((entry) => entry !== 'usage')).toEqual(['error:LLM response failed: model overloaded']);
    const errored = mapAll(new ResponseScript().text('a').error('bad things', 'rate_limit_exceeded'));
    expect(errored.described).toEqual(['LLMTextFrame:a', 'error:LLM stream error: bad things']);
    expect(errored.state.error).toBeInstanceOf(LLMStreamError);
    expect((errored.state.error as LLMStreamError).code).toBe('rate_limit_exceeded');
  });

  it('ignores unknown event types and anything after the terminal event', () => {
    const events = new ResponseScript().event({ type: 'response.something_new', foo: 1 }).text('ok').completed();
    const late = { type: 'response.output_text.delta', delta: 'late', item_id: 'x', output_index: 0, content_index: 0, logprobs: [], sequence_number: 99 };
    const { frames } = mapAll([...events, late as ResponseStreamEvent]);
    expect(frames.map(describeFrame)).toEqual(['LLMTextFrame:ok']);
  });

  it('brackets a reasoning summary with thought frames, closed before the answer', () => {
    const { frames, state } = mapAll(new ResponseScript().reasoning(['Think', 'ing'], 'enc').text('Answer').completed());
    expect(frames.map(describeFrame)).toEqual([
      'LLMThoughtStartFrame',
      'LLMThoughtTextFrame:Think',
      'LLMThoughtTextFrame:ing',
      'LLMThoughtEndFrame',
      'LLMTextFrame:Answer',
    ]);
    expect(state.reasoningItems).toHaveLength(1);
  });

  it('collects function calls across added, argument deltas and done', () => {
    const events = new ResponseScript().functionCall({ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_9', chunks: 3 }).completed();
    const { frames, state } = mapAll(events);
    expect(frames).toEqual([]);
    expect([...state.functionCalls.values()]).toEqual([
      { itemId: expect.any(String), callId: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}', done: true, outputIndex: 0, caller: undefined, custom: false },
    ]);
  });

  it('treats only preamble events as non-output (the TTFB clock stops at the first other one)', () => {
    const [created, inProgress, itemAdded] = textResponse('x');
    expect([created, inProgress, itemAdded].map((event) => isOutputEvent(event!))).toEqual([false, false, true]);
  });
});
