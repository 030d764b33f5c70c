import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { LLMIncompleteError } from '../../errors/errors';
import { LLMRefusalFrame, LLMTextFrame, MetricsFrame } from '../../frames';
import type { LLMTokenUsage } from '../../frames/metrics-frames';
import { errorFrameFor } from '../../llm/response';
import type { ResponseState } from '../../llm/response-state';
import type { FrameSink } from '../../operators/emit-each';

/** The end of the body, which this provider appends: Chat Completions has no terminal event of its own. */
export interface EndOfStream {
  readonly object: 'rx-responses.end_of_stream';
}
/** The marker itself. */
export const END_OF_STREAM: EndOfStream = Object.freeze({ object: 'rx-responses.end_of_stream' });

/** What this service's stream carries: the API's chunks, then the end marker. */
export type ChatStreamEvent = ChatCompletionChunk | EndOfStream;

/** What a chat response shows beyond the core's state: the finish reason, the refusal so far, the usage. */
interface ChatProgress {
  finishReason: string | undefined;
  refusal: string;
}
const progressOf = new WeakMap<ResponseState, ChatProgress>();

/** Whether an event is the model's output: any chunk with a choice (the usage chunk and the end marker are not). */
export function isChatOutput(event: ChatStreamEvent): boolean {
  return 'choices' in event && event.choices.length > 0;
}

/**
 * Maps one chunk to frames (pure but for the response's state): content and refusal deltas to `LLMTextFrame`s, tool-call
 * deltas gathered by index, the finish reason, then usage. The response ends at the usage chunk, or at the end of the
 * body once a finish reason came (an endpoint that ignores `include_usage`); `length` and `content_filter` end it as
 * incomplete, and its calls are not run.
 */
export function emitFramesForChunk(event: ChatStreamEvent, state: ResponseState, emit: FrameSink): void {
  if (state.finished) return;
  let progress = progressOf.get(state);
  if (!progress) progressOf.set(state, (progress = { finishReason: undefined, refusal: '' }));
  if (!('choices' in event)) {
    if (progress.finishReason !== undefined) finish(state, progress, undefined, emit);
    return;
  }
  const choice = event.choices[0];
  if (choice) {
    const { delta } = choice;
    if (delta?.content) emit(new LLMTextFrame({ text: delta.content }));
    if (delta?.refusal) {
      progress.refusal += delta.refusal;
      emit(new LLMTextFrame({ text: delta.refusal }));
    }
    for (const call of delta?.tool_calls ?? []) {
      const key = String(call.index);
      const known = state.functionCalls.get(key);
      if (!known) state.functionCalls.set(key, { itemId: key, callId: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '', done: false });
      else {
        if (call.id) known.callId = call.id;
        if (call.function?.name) known.name = call.function.name;
        known.arguments += call.function?.arguments ?? '';
      }
    }
    if (choice.finish_reason) {
      progress.finishReason = choice.finish_reason;
      for (const call of state.functionCalls.values()) call.done = true;
    }
  }
  if (event.usage) finish(state, progress, event.usage, emit);
}

function finish(state: ResponseState, progress: ChatProgress, usage: CompletionUsage | undefined, emit: FrameSink): void {
  state.finished = true;
  if (progress.refusal) emit(new LLMRefusalFrame({ text: progress.refusal }));
  if (progress.finishReason === 'length' || progress.finishReason === 'content_filter') {
    state.failed = true;
    const names = [...state.functionCalls.values()].map((call) => `"${call.name}"`).join(', ');
    const reason = progress.finishReason === 'length' ? 'max_output_tokens' : 'content_filter';
    emit(errorFrameFor(new LLMIncompleteError(reason, names ? ` (function call${state.functionCalls.size === 1 ? '' : 's'} ${names} not run)` : '')));
  }
  if (usage) emit(new MetricsFrame({ data: [{ kind: 'usage', processor: state.processor, model: state.requestedModel, value: chatUsage(usage) }] }));
}

/** Token usage from a Chat Completions `usage` object; any count the server left out is 0 (pure). */
export function chatUsage(usage: Partial<CompletionUsage>): LLMTokenUsage {
  const promptTokens = usage.prompt_tokens ?? 0;
  const completionTokens = usage.completion_tokens ?? 0;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage.total_tokens ?? promptTokens + completionTokens,
    cacheReadInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheCreationInputTokens: 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}
