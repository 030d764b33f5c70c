import type { Response, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import { LLMIncompleteError, LLMStreamError } from '../../errors/errors';
import type { Frame } from '../../frames';
import { ErrorFrame, LLMTextFrame, LLMThoughtEndFrame, LLMThoughtStartFrame, LLMThoughtTextFrame, MetricsFrame } from '../../frames';
import type { LLMTokenUsage } from '../../frames/metrics-frames';
import type { ResponseStreamState } from './stream-state';

/** Returned for the many events that make no frame: one shared empty array, no allocation. */
const NO_FRAMES: readonly Frame[] = Object.freeze([]);

/** Events that only announce the response; any other event is output and stops the TTFB clock. */
const PREAMBLE_EVENTS = new Set<string>(['response.created', 'response.in_progress', 'response.queued']);

/** Whether an event is the model's output rather than the response's preamble (pure). */
export function isOutputEvent(event: ResponseStreamEvent): boolean {
  return !PREAMBLE_EVENTS.has(event.type);
}

/**
 * Maps one Responses stream event to the frames it produces, updating the response's state (no I/O).
 * Unknown event types are ignored, as are events after the terminal one.
 */
export function framesFromEvent(event: ResponseStreamEvent, state: ResponseStreamState): readonly Frame[] {
  if (state.finished) return NO_FRAMES;
  switch (event.type) {
    case 'response.output_text.delta':
      return state.thinking ? [closeThought(state), new LLMTextFrame({ text: event.delta })] : [new LLMTextFrame({ text: event.delta })];
    case 'response.reasoning_summary_text.delta':
      if (state.thinking) return [new LLMThoughtTextFrame({ text: event.delta })];
      state.thinking = true;
      return [new LLMThoughtStartFrame(), new LLMThoughtTextFrame({ text: event.delta })];
    case 'response.created':
    case 'response.in_progress':
      state.responseId = event.response?.id ?? state.responseId;
      return NO_FRAMES;
    case 'response.output_item.added':
      return onItemAdded(event.item, state);
    case 'response.function_call_arguments.delta': {
      const call = state.functionCalls.get(event.item_id);
      if (call && !call.done) call.arguments += event.delta;
      return NO_FRAMES;
    }
    case 'response.function_call_arguments.done': {
      const call = state.functionCalls.get(event.item_id);
      if (call) {
        call.arguments = event.arguments;
        call.done = true;
      }
      return NO_FRAMES;
    }
    case 'response.output_item.done':
      return onItemDone(event.item, state);
    case 'response.completed':
      return finish(state, event.response, []);
    case 'response.incomplete': {
      const reason = event.response?.incomplete_details?.reason ?? 'unknown';
      const error = new LLMIncompleteError(reason);
      state.failed = true;
      return finish(state, event.response, [new ErrorFrame({ error: error.message, exception: error })]);
    }
    case 'response.failed': {
      const detail = event.response?.error;
      const error = new LLMStreamError(`LLM response failed: ${detail?.message ?? 'no reason given'}`, codeOf(detail?.code));
      state.failed = true;
      return finish(state, event.response, [new ErrorFrame({ error: error.message, exception: error })]);
    }
    case 'error': {
      const error = new LLMStreamError(`LLM stream error: ${event.message ?? 'no message'}`, codeOf(event.code));
      state.failed = true;
      return finish(state, undefined, [new ErrorFrame({ error: error.message, exception: error })]);
    }
    default:
      return NO_FRAMES;
  }
}

function onItemAdded(item: Response['output'][number], state: ResponseStreamState): readonly Frame[] {
  const frames: Frame[] = state.thinking && item?.type !== 'reasoning' ? [closeThought(state)] : [];
  if (item?.type === 'function_call') {
    const itemId = item.id ?? item.call_id;
    state.functionCalls.set(itemId, { itemId, callId: item.call_id, name: item.name, arguments: item.arguments ?? '', done: false });
  }
  return frames;
}

function onItemDone(item: Response['output'][number], state: ResponseStreamState): readonly Frame[] {
  if (item?.type === 'function_call') {
    const itemId = item.id ?? item.call_id;
    const known = state.functionCalls.get(itemId);
    state.functionCalls.set(itemId, { itemId, callId: item.call_id, name: item.name, arguments: item.arguments ?? known?.arguments ?? '', done: true });
    return NO_FRAMES;
  }
  if (item?.type === 'reasoning') {
    state.reasoningItems.push(item);
    return state.thinking ? [closeThought(state)] : NO_FRAMES;
  }
  return NO_FRAMES;
}

function finish(state: ResponseStreamState, response: Response | undefined, errors: Frame[]): readonly Frame[] {
  state.finished = true;
  const frames: Frame[] = state.thinking ? [closeThought(state)] : [];
  frames.push(...errors);
  if (response?.usage) {
    frames.push(
      new MetricsFrame({
        data: [{ kind: 'usage', processor: state.processor, model: response.model || state.requestedModel, value: tokenUsage(response.usage) }],
      }),
    );
  }
  return frames;
}

function closeThought(state: ResponseStreamState): Frame {
  state.thinking = false;
  return new LLMThoughtEndFrame();
}

/** Token usage from a Responses `usage` object; any count the server left out is 0 (pure). */
export function tokenUsage(usage: Partial<ResponseUsage>): LLMTokenUsage {
  const promptTokens = usage.input_tokens ?? 0;
  const completionTokens = usage.output_tokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage.total_tokens ?? promptTokens + completionTokens,
    cacheReadInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

function codeOf(code: string | null | undefined): { code?: string } {
  return code ? { code } : {};
}
