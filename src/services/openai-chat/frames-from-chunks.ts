import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { LLMIncompleteError } from '../../errors/errors';
import { LLMRefusalFrame, LLMTextFrame } from '../../frames';
import type { LLMTokenUsage } from '../../frames/metrics-frames';
import type { FrameSink } from '../../llm/provider';
import type { ResponseRecord } from '../../llm/response-record';

/** The end of the body, which this provider appends: Chat Completions has no terminal event of its own. */
export interface EndOfStream {
  readonly object: 'rx-responses.end_of_stream';
}
/** The marker itself. */
export const END_OF_STREAM: EndOfStream = Object.freeze({ object: 'rx-responses.end_of_stream' });

/** What this service's stream carries: the API's chunks, then the end marker. */
export type ChatStreamEvent = ChatCompletionChunk | EndOfStream;

/** Whether an event is the model's output: any chunk with a choice (the usage chunk and the end marker are not). */
export function isChatOutput(event: ChatStreamEvent): boolean {
  return 'choices' in event && event.choices.length > 0;
}

/**
 * Maps one chunk (pure but for the response's record): content and refusal deltas to `LLMTextFrame`s, tool-call deltas
 * gathered by index, the finish reason, then usage. The response ends at the usage chunk, or at the end of the
 * body once a finish reason came (an endpoint that ignores `include_usage`); `length` and `content_filter` end it as
 * incomplete, and its calls are not run.
 */
export function emitFramesForChunk(event: ChatStreamEvent, state: ResponseRecord, emit: FrameSink): void {
  if (state.finished) return;
  if (!('choices' in event)) {
    if (state.finishReason !== undefined) finish(state, undefined, emit);
    return;
  }
  if (state.responseId === undefined && event.id) state.responseId = event.id;
  const choice = event.choices[0];
  if (choice) {
    const { delta } = choice;
    if (delta?.content) {
      // Chat Completions has no finished message item: the text is recorded as it streams.
      state.text += delta.content;
      emit(new LLMTextFrame({ text: delta.content }));
    }
    if (delta?.refusal) {
      state.refusal += delta.refusal;
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
      state.finishReason = choice.finish_reason;
      for (const call of state.functionCalls.values()) call.done = true;
    }
  }
  if (event.usage) finish(state, event.usage, emit);
}

function finish(state: ResponseRecord, usage: CompletionUsage | undefined, emit: FrameSink): void {
  state.finished = true;
  if (state.refusal) emit(new LLMRefusalFrame({ text: state.refusal }));
  if (state.finishReason === 'length' || state.finishReason === 'content_filter') {
    const names = [...state.functionCalls.values()].map((call) => `"${call.name}"`).join(', ');
    const reason = state.finishReason === 'length' ? 'max_output_tokens' : 'content_filter';
    state.error = new LLMIncompleteError(reason, names ? ` (function call${state.functionCalls.size === 1 ? '' : 's'} ${names} not run)` : '');
  }
  if (usage) state.usage = chatUsage(usage);
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
