import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { LLMIncompleteError, LLMStreamError, type Frame } from '../src';
import { createResponseState } from '../src/llm/response-state';
import { framesFromEvent, isOutputEvent } from '../src/services/openai-responses/frames-from-events';
import { ResponseScript, textResponse } from '../src/testing';

function mapAll(events: readonly ResponseStreamEvent[]) {
  const state = createResponseState('llm', 'gpt-4.1');
  const frames: Frame[] = events.flatMap((event) => [...framesFromEvent(event, state)]);
  return { frames, state };
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
  it('turns each text delta into one LLMTextFrame, in order, and usage into a MetricsFrame', () => {
    const { frames, state } = mapAll(textResponse(['Hel', 'lo', ' world'], { inputTokens: 10, outputTokens: 3 }));
    expect(frames.map(describeFrame)).toEqual(['LLMTextFrame:Hel', 'LLMTextFrame:lo', 'LLMTextFrame: world', 'MetricsFrame:usage']);
    expect(state.finished).toBe(true);
    expect(state.failed).toBe(false);
  });

  it('reports all token counts, cached and reasoning included', () => {
    const { frames } = mapAll(textResponse('x', { inputTokens: 100, outputTokens: 40, cachedTokens: 64, reasoningTokens: 12 }));
    const metrics = frames.find((frame) => frame.type === 'MetricsFrame');
    expect(metrics?.type === 'MetricsFrame' && metrics.data[0]).toEqual({
      kind: 'usage',
      processor: 'llm',
      model: 'gpt-4.1',
      value: { promptTokens: 100, completionTokens: 40, totalTokens: 140, cacheReadInputTokens: 64, cacheCreationInputTokens: 0, reasoningTokens: 12 },
    });
  });

  it('counts a usage field the server omits as 0', () => {
    const { frames } = mapAll(textResponse('x', { inputTokens: 5 }));
    const metrics = frames.find((frame) => frame.type === 'MetricsFrame');
    expect(metrics?.type === 'MetricsFrame' && metrics.data[0]?.value).toEqual({
      promptTokens: 5,
      completionTokens: 0,
      totalTokens: 5,
      cacheReadInputTokens: 0,
      cacheCreationInputTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('forwards the text it got, then an ErrorFrame for response.incomplete', () => {
    const { frames } = mapAll(new ResponseScript().text(['Part', 'ial']).incomplete('max_output_tokens'));
    expect(frames.map(describeFrame)).toEqual(['LLMTextFrame:Part', 'LLMTextFrame:ial', 'ErrorFrame:LLM response incomplete: max_output_tokens']);
    const error = frames[2];
    expect(error?.type === 'ErrorFrame' && error.exception).toBeInstanceOf(LLMIncompleteError);
  });

  it('maps response.failed and error events to ErrorFrames with the API code', () => {
    const failed = mapAll(new ResponseScript().failed('model overloaded', 'server_error')).frames;
    expect(failed.map(describeFrame)).toEqual(['ErrorFrame:LLM response failed: model overloaded']);
    const errored = mapAll(new ResponseScript().text('a').error('bad things', 'rate_limit_exceeded')).frames;
    expect(errored.map(describeFrame)).toEqual(['LLMTextFrame:a', 'ErrorFrame:LLM stream error: bad things']);
    const exception = errored[1]?.type === 'ErrorFrame' ? errored[1].exception : undefined;
    expect(exception).toBeInstanceOf(LLMStreamError);
    expect((exception as LLMStreamError).code).toBe('rate_limit_exceeded');
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
      { itemId: expect.any(String), callId: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}', done: true },
    ]);
  });

  it('treats only preamble events as non-output (the TTFB clock stops at the first other one)', () => {
    const [created, inProgress, itemAdded] = textResponse('x');
    expect([created, inProgress, itemAdded].map((event) => isOutputEvent(event!))).toEqual([false, false, true]);
  });
});
