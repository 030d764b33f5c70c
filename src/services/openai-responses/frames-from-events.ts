import type { Response, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import { LLMIncompleteError, LLMStreamError } from '../../errors/errors';
import type { Frame } from '../../frames';
import { LLMTextFrame, LLMThoughtEndFrame, LLMThoughtStartFrame, LLMThoughtTextFrame, MetricsFrame } from '../../frames';
import type { LLMTokenUsage } from '../../frames/metrics-frames';
import { errorFrameFor } from '../../llm/response';
import type { ResponseState } from '../../llm/response-state';
import type { FrameSink } from '../../operators/emit-each';

/** Events that only announce the response; any other event is output and stops the TTFB clock. */
const PREAMBLE_EVENTS = new Set<string>(['response.created', 'response.in_progress', 'response.queued']);

/** Whether an event is the model's output rather than the response's preamble (pure). */
export function isOutputEvent(event: ResponseStreamEvent): boolean {
  return !PREAMBLE_EVENTS.has(event.type);
}

/** Maps one event to the frames it produces, as an array (see `emitFramesForEvent`). */
export function framesFromEvent(event: ResponseStreamEvent, state: ResponseState): Frame[] {
  const frames: Frame[] = [];
  emitFramesForEvent(event, state, (frame) => frames.push(frame));
  return frames;
}

/**
 * Maps one Responses stream event to the frames it produces, handing each to `emit` and updating the response's
 * state (no I/O; no allocation beyond the frames themselves, which keeps the per-token cost low).
 * Unknown event types are ignored, as are events after the terminal one.
 */
export function emitFramesForEvent(event: ResponseStreamEvent, state: ResponseState, emit: FrameSink): void {
  if (state.finished) return;
  switch (event.type) {
    case 'response.output_text.delta':
      if (state.thinking) emit(closeThought(state));
      emit(new LLMTextFrame({ text: event.delta }));
      return;
    case 'response.reasoning_summary_text.delta':
      if (!state.thinking) {
        state.thinking = true;
        emit(new LLMThoughtStartFrame());
      }
      emit(new LLMThoughtTextFrame({ text: event.delta }));
      return;
    case 'response.output_item.added':
      onItemAdded(event.item, state, emit);
      return;
    case 'response.function_call_arguments.delta': {
      const call = state.functionCalls.get(event.item_id);
      if (call && !call.done) call.arguments += event.delta;
      return;
    }
    case 'response.function_call_arguments.done': {
      const call = state.functionCalls.get(event.item_id);
      if (call) {
        call.arguments = event.arguments;
        call.done = true;
      }
      return;
    }
    case 'response.output_item.done':
      onItemDone(event.item, state, emit);
      return;
    case 'response.completed':
      finish(state, event.response, undefined, emit);
      return;
    case 'response.incomplete':
      finish(state, event.response, new LLMIncompleteError(event.response?.incomplete_details?.reason ?? 'unknown'), emit);
      return;
    case 'response.failed': {
      const detail = event.response?.error;
      finish(state, event.response, new LLMStreamError(`LLM response failed: ${detail?.message ?? 'no reason given'}`, codeOf(detail?.code)), emit);
      return;
    }
    case 'error':
      finish(state, undefined, new LLMStreamError(`LLM stream error: ${event.message ?? 'no message'}`, codeOf(event.code)), emit);
      return;
    default:
      return;
  }
}

function onItemAdded(item: Response['output'][number], state: ResponseState, emit: FrameSink): void {
  if (state.thinking && item?.type !== 'reasoning') emit(closeThought(state));
  if (item?.type === 'function_call') {
    const itemId = item.id ?? item.call_id;
    state.functionCalls.set(itemId, { itemId, callId: item.call_id, name: item.name, arguments: item.arguments ?? '', done: false });
  }
}

function onItemDone(item: Response['output'][number], state: ResponseState, emit: FrameSink): void {
  if (item?.type === 'function_call') {
    const itemId = item.id ?? item.call_id;
    const known = state.functionCalls.get(itemId);
    state.functionCalls.set(itemId, { itemId, callId: item.call_id, name: item.name, arguments: item.arguments ?? known?.arguments ?? '', done: true });
  } else if (item?.type === 'reasoning') {
    state.reasoningItems.push({
      type: 'reasoning',
      id: item.id,
      summary: (item.summary ?? []).map((part) => ({ type: 'summary_text', text: part.text })),
      encrypted_content: item.encrypted_content ?? null,
    });
    if (state.thinking) emit(closeThought(state));
  }
}

function finish(state: ResponseState, response: Response | undefined, error: LLMStreamError | LLMIncompleteError | undefined, emit: FrameSink): void {
  state.finished = true;
  if (state.thinking) emit(closeThought(state));
  if (error) {
    state.failed = true;
    emit(errorFrameFor(error));
  }
  if (response?.usage) {
    const model = response.model || state.requestedModel;
    emit(new MetricsFrame({ data: [{ kind: 'usage', processor: state.processor, model, value: tokenUsage(response.usage) }] }));
  }
}

function closeThought(state: ResponseState): Frame {
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
