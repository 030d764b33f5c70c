import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Response, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';

/**
 * A scripted Responses event sequence as the Chat Completions API would stream the same answer (pure): content,
 * refusal and tool-call deltas, the finish reason, a usage chunk, or an error payload for a failure. So one script
 * serves both services of a test, and the same conversation can be played to each.
 */
export function chatChunksFrom(events: readonly ResponseStreamEvent[]): object[] {
  const id = 'chatcmpl-fake';
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): ChatCompletionChunk =>
    ({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: modelOf(events), choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }] }) as ChatCompletionChunk;
  const chunks: object[] = [];
  // Tool calls by output item id, numbered in order as Chat Completions numbers them.
  const callIndex = new Map<string, number>();
  for (const event of events) {
    switch (event.type) {
      case 'response.created':
        chunks.push(chunk({ role: 'assistant', content: '' }));
        break;
      case 'response.output_text.delta':
        chunks.push(chunk({ content: event.delta }));
        break;
      case 'response.refusal.delta':
        chunks.push(chunk({ refusal: event.delta }));
        break;
      case 'response.output_item.added':
        if (event.item.type === 'function_call') {
          const index = callIndex.size;
          callIndex.set(event.item.id ?? event.item.call_id, index);
          chunks.push(chunk({ tool_calls: [{ index, id: event.item.call_id, type: 'function', function: { name: event.item.name, arguments: '' } }] }));
        }
        break;
      case 'response.function_call_arguments.delta':
        chunks.push(chunk({ tool_calls: [{ index: callIndex.get(event.item_id) ?? 0, function: { arguments: event.delta } }] }));
        break;
      case 'response.completed':
      case 'response.incomplete': {
        const reason = event.type === 'response.incomplete' ? 'length' : callIndex.size > 0 ? 'tool_calls' : 'stop';
        chunks.push(chunk({}, reason));
        if (event.response.usage) chunks.push({ id, object: 'chat.completion.chunk', created: 1_700_000_000, model: modelOf(events), choices: [], usage: usageOf(event.response.usage) });
        break;
      }
      case 'response.failed':
        chunks.push({ error: { message: event.response.error?.message ?? 'failed', type: 'server_error', code: event.response.error?.code ?? null } });
        break;
      case 'error': {
        const nested = (event as { error?: { message?: string; code?: string | null } }).error;
        chunks.push({ error: { message: nested?.message ?? event.message, type: 'server_error', code: nested?.code ?? event.code ?? null } });
        break;
      }
    }
  }
  return chunks;
}

/** The same answer as one non-streaming chat completion (for `runInference`). */
export function chatCompletionFrom(events: readonly ResponseStreamEvent[]): ChatCompletion {
  const text = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : [])).join('');
  const terminal = [...events].reverse().find((event) => 'response' in event && event.type !== 'response.created') as { response?: Response } | undefined;
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: modelOf(events),
    choices: [{ index: 0, message: { role: 'assistant', content: text || null, refusal: null }, finish_reason: 'stop', logprobs: null }],
    ...(terminal?.response?.usage ? { usage: usageOf(terminal.response.usage) } : {}),
  };
}

function modelOf(events: readonly ResponseStreamEvent[]): string {
  const created = events.find((event) => event.type === 'response.created') as { response?: { model?: string } } | undefined;
  return created?.response?.model ?? 'gpt-4.1';
}

function usageOf(usage: ResponseUsage): NonNullable<ChatCompletion['usage']> {
  return {
    prompt_tokens: usage.input_tokens ?? 0,
    completion_tokens: usage.output_tokens ?? 0,
    total_tokens: usage.total_tokens ?? 0,
    prompt_tokens_details: { cached_tokens: usage.input_tokens_details?.cached_tokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.output_tokens_details?.reasoning_tokens ?? 0 },
  };
}
