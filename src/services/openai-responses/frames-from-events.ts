import type { Response, ResponseStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import { LLMIncompleteError, LLMStreamError } from '../../errors/errors';
import type { Frame } from '../../frames';
// From the classes' own modules, not the frames index: a CommonJS re-export is a getter, called on every token.
import {
  HostedToolCallFrame,
  LLMAnnotationFrame,
  LLMRefusalFrame,
  LLMTextFrame,
  LLMThoughtEndFrame,
  LLMThoughtStartFrame,
  LLMThoughtTextFrame,
  type Annotation,
  type MessagePhase,
} from '../../frames/llm-output-frames';
import { McpApprovalRequestFrame } from '../../frames/item-frames';
import type { ResponseItemData } from '../../context/messages';
import type { LLMTokenUsage } from '../../frames/metrics-frames';
import type { FrameSink } from '../../llm/provider';
import type { ResponseRecord } from '../../llm/response-record';
import { callFinished, callOf, callStarted, settleCalls } from './call-items';
import { HOSTED_TOOL_ITEMS, HOSTED_TOOL_PROGRESS, itemKind } from './events';

/** Maps one event to the content frames it produces, as an array (see `emitFramesForEvent`). */
export function framesFromEvent(event: ResponseStreamEvent, record: ResponseRecord): Frame[] {
  const frames: Frame[] = [];
  emitFramesForEvent(event, record, (frame) => frames.push(frame));
  return frames;
}

/**
 * Maps one Responses stream event: emits its content frames and records the rest (calls, reasoning, usage, the end and
 * its failure) in the response's record (no I/O; no allocation beyond the frames themselves, which keeps the per-token
 * cost low). Unknown event types are ignored, as are events after the terminal one.
 */
export function emitFramesForEvent(event: ResponseStreamEvent, state: ResponseRecord, emit: FrameSink): void {
  if (state.finished) return;
  switch (event.type) {
    case 'response.output_text.delta':
    case 'response.refusal.delta':
      if (state.thinking) emit(closeThought(state));
      emit(new LLMTextFrame({ text: event.delta, phase: state.phase }));
      return;
    // Servers that stream the reasoning itself rather than a summary (DeepSeek, LM Studio, gpt-oss): thoughts all the same.
    case 'response.reasoning_text.delta':
    case 'response.reasoning_summary_text.delta':
      if (!state.thinking) {
        state.thinking = true;
        emit(new LLMThoughtStartFrame());
      }
      emit(new LLMThoughtTextFrame({ text: event.delta }));
      return;
    case 'response.custom_tool_call_input.delta':
    case 'response.function_call_arguments.delta': {
      const call = callOf(state, event.output_index, event.item_id);
      if (call && !call.done) call.arguments += event.delta;
      return;
    }
    case 'response.output_text.annotation.added':
      emit(new LLMAnnotationFrame({ annotation: event.annotation as Annotation }));
      return;
    case 'response.refusal.done':
      emit(new LLMRefusalFrame({ text: event.refusal }));
      return;
    case 'response.output_item.added':
      onItemAdded(event.item, event.output_index, state, emit);
      return;
    case 'response.function_call_arguments.done': {
      const call = callOf(state, event.output_index, event.item_id);
      if (call) {
        // Streamed arguments are the best source; an empty `done` (OpenRouter) does not erase them.
        call.arguments = event.arguments || call.arguments;
        call.done = true;
      }
      return;
    }
    case 'response.custom_tool_call_input.done': {
      const call = callOf(state, event.output_index, event.item_id);
      if (call) {
        call.arguments = event.input || call.arguments;
        call.done = true;
      }
      return;
    }
    case 'response.output_item.done':
      onItemDone(event.item, event.output_index, state, emit);
      return;
    case 'response.created':
    case 'response.in_progress':
      state.responseId ??= event.response?.id || undefined;
      return;
    case 'response.completed':
      finish(state, event.response, undefined, emit);
      return;
    case 'response.incomplete':
      finish(state, event.response, new LLMIncompleteError(event.response?.incomplete_details?.reason ?? 'unknown', unrunCalls(state)), emit);
      return;
    case 'response.failed': {
      const detail = event.response?.error;
      const fields = failureFields(detail?.code, undefined, detail?.message);
      finish(state, event.response, new LLMStreamError(`LLM response failed: ${detail?.message ?? 'no reason given'}${unrunCalls(state)}`, fields), emit);
      return;
    }
    case 'error': {
      const { message, code, type } = errorPayload(event);
      finish(state, undefined, new LLMStreamError(`LLM stream error: ${message ?? 'no message'}${unrunCalls(state)}`, failureFields(code, type, message)), emit);
      return;
    }
    default:
      onOtherEvent(event, state, emit);
  }
}

function onItemAdded(item: Response['output'][number], outputIndex: number, state: ResponseRecord, emit: FrameSink): void {
  if (state.thinking && item?.type !== 'reasoning') emit(closeThought(state));
  if (item?.type === 'function_call' || item?.type === 'custom_tool_call') {
    callStarted(state, item, outputIndex);
  } else if (item?.type === 'message') {
    state.phase = phaseOf(item);
    state.messageId = item.id;
  } else if (item && itemKind(item) === 'hosted') {
    const hosted = hostedFields(item);
    emitHosted(state, emit, item.type, hosted.id, hosted.status ?? 'in_progress');
  }
}

function onItemDone(item: Response['output'][number], outputIndex: number, state: ResponseRecord, emit: FrameSink): void {
  if (item?.type === 'message') {
    // The whole text of a finished message, once (a response with calls writes it with them): not gathered per token.
    for (const part of item.content ?? []) state.text += part.type === 'output_text' ? part.text : part.type === 'refusal' ? part.refusal : '';
  } else if (item?.type === 'function_call' || item?.type === 'custom_tool_call') {
    callFinished(state, item, outputIndex);
  } else if (item?.type === 'reasoning') {
    state.reasoningItems.push({
      type: 'reasoning',
      id: item.id,
      summary: (item.summary ?? []).map((part) => ({ type: 'summary_text', text: part.text })),
      encrypted_content: item.encrypted_content ?? null,
    });
    if (state.thinking) emit(closeThought(state));
  } else if (item && itemKind(item) === 'hosted') {
    const hosted = hostedFields(item);
    emitHosted(state, emit, item.type, hosted.id, hosted.status ?? 'completed', { ...item });
  } else if (item) {
    onOtherItem(item as unknown as ResponseItemData, state, emit);
  }
}

/** An item the app answers (an MCP approval, a client-executed tool) or that goes back as it is (a program). */
function onOtherItem(item: ResponseItemData, state: ResponseRecord, emit: FrameSink): void {
  const kind = itemKind(item);
  if (kind !== 'approval' && kind !== 'client' && kind !== 'kept') return;
  if (kind !== 'approval') return void state.outputItems.push({ kind, item: { ...item } });
  const request = approvalRequestFrame(item);
  state.outputItems.push({ kind, item: { ...item }, request });
  emit(request);
}

/** An `mcp_approval_request` item as the frame the app answers. */
function approvalRequestFrame(item: ResponseItemData): McpApprovalRequestFrame {
  let args: unknown = {};
  try {
    args = typeof item.arguments === 'string' && item.arguments ? JSON.parse(item.arguments) : {};
  } catch {
    // Unreadable arguments are shown as none; the item keeps them as sent.
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return new McpApprovalRequestFrame({
    approvalRequestId: text(item.id),
    serverLabel: text(item.server_label),
    toolName: text(item.name),
    arguments: args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {},
  });
}

/** Statuses after which a hosted tool item is over. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'incomplete', 'cancelled']);

/** A hosted tool item's frame, noting whether the item is still open (the terminal event closes what is). */
function emitHosted(state: ResponseRecord, emit: FrameSink, tool: string, itemId: string, status: string, item?: Readonly<Record<string, unknown>>): void {
  if (FINAL_STATUSES.has(status)) state.openHostedItems.delete(itemId);
  else state.openHostedItems.set(itemId, tool);
  emit(new HostedToolCallFrame({ tool, itemId, status, ...(item ? { item } : {}) }));
}

/**
 * Hosted items the response leaves open (Azure ends a web search with `searching`, an image with `generating`) are
 * closed with it: `completed` when the response completed, else `incomplete`.
 */
function closeHostedItems(state: ResponseRecord, emit: FrameSink, completed: boolean): void {
  for (const [itemId, tool] of state.openHostedItems) emit(new HostedToolCallFrame({ tool, itemId, status: completed ? 'completed' : 'incomplete' }));
  state.openHostedItems.clear();
}

/** A hosted tool item's id and status, read as the wire has them (some kinds' types lack a status). */
function hostedFields(item: object): { readonly id: string; readonly status: string | undefined } {
  const { id, status } = item as { readonly id?: unknown; readonly status?: unknown };
  return { id: typeof id === 'string' ? id : '', status: typeof status === 'string' ? status : undefined };
}

/** A hosted tool's intermediate progress (`searching`, `interpreting`, `generating`, …) as a frame; anything else is ignored. */
function onOtherEvent(event: ResponseStreamEvent, state: ResponseRecord, emit: FrameSink): void {
  const match = HOSTED_TOOL_PROGRESS.exec(event.type);
  if (!match || !HOSTED_TOOL_ITEMS.has(match[1]!)) return;
  const status = match[2]!;
  // The item's own events say in_progress and the final status; the progress events in between are what is new.
  if (status === 'in_progress' || status === 'completed' || status === 'failed') return;
  const itemId = (event as { readonly item_id?: unknown }).item_id;
  if (typeof itemId === 'string') emitHosted(state, emit, match[1]!, itemId, status);
}

function finish(state: ResponseRecord, response: Response | undefined, error: LLMStreamError | LLMIncompleteError | undefined, emit: FrameSink): void {
  state.finished = true;
  if (state.thinking) emit(closeThought(state));
  settleCalls(state, response?.output, error === undefined);
  if (state.openHostedItems.size > 0) closeHostedItems(state, emit, error === undefined);
  state.error = error;
  if (response?.usage) {
    state.usage = tokenUsage(response.usage);
    state.model = response.model || undefined;
  }
  state.responseId = response?.id || state.responseId;
  state.finishReason = finishReasonOf(state, response, error);
}

/** Why the response ended, as the GenAI conventions name it (the Responses API gives a status, not a finish reason). */
function finishReasonOf(state: ResponseRecord, response: Response | undefined, error: unknown): string {
  if (error instanceof LLMIncompleteError) return error.reason === 'max_output_tokens' ? 'length' : error.reason;
  if (error || response?.status === 'failed') return 'error';
  return [...state.functionCalls.values()].some((call) => call.done) ? 'tool_calls' : 'stop';
}

/** What a response that did not complete leaves unrun: its function calls are never run, and the message says so. */
function unrunCalls(state: ResponseRecord): string {
  if (state.functionCalls.size === 0) return '';
  const names = [...state.functionCalls.values()].map((call) => `"${call.name}"`).join(', ');
  return ` (function call${state.functionCalls.size === 1 ? '' : 's'} ${names} not run)`;
}

/**
 * An `error` event's message and code. The live API nests them (`{ type: 'error', error: { code, message } }`, as
 * recorded); the `openai` package's types describe them flat (`{ type: 'error', code, message }`). Both are read.
 */
function errorPayload(event: ResponseStreamEvent & { type: 'error' }): { message: string | undefined; code: string | undefined; type: string | undefined } {
  const nested = (event as { readonly error?: { readonly message?: unknown; readonly code?: unknown; readonly type?: unknown } }).error;
  const source = nested && typeof nested === 'object' ? nested : (event as { readonly message?: unknown; readonly code?: unknown });
  return {
    message: typeof source.message === 'string' && source.message ? source.message : undefined,
    code: typeof source.code === 'string' ? source.code : undefined,
    // Only the nested payload has the error's own type (`server_error` with a null code, as recorded).
    type: nested && typeof nested === 'object' && typeof nested.type === 'string' ? nested.type : undefined,
  };
}

function phaseOf(item: object): MessagePhase | undefined {
  const phase = (item as { readonly phase?: unknown }).phase;
  return phase === 'commentary' || phase === 'final_answer' ? phase : undefined;
}

function closeThought(state: ResponseRecord): Frame {
  state.thinking = false;
  return new LLMThoughtEndFrame();
}

/** Token usage from a Responses `usage` object; any count the server left out is 0 (pure). */
export function tokenUsage(usage: Partial<ResponseUsage>): LLMTokenUsage {
  const promptTokens = usage.input_tokens ?? 0;
  const completionTokens = usage.output_tokens ?? 0;
  // Recorded from the live API in 2026 beside cached_tokens; not in the openai package's types yet.
  const cacheWrite = (usage.input_tokens_details as { readonly cache_write_tokens?: number } | undefined)?.cache_write_tokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: usage.total_tokens ?? promptTokens + completionTokens,
    cacheReadInputTokens: usage.input_tokens_details?.cached_tokens ?? 0,
    cacheCreationInputTokens: cacheWrite ?? 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** A failure's code and type as the API sent them, and the wait it asked for ("try again in 1.2s", "in 20ms"). */
function failureFields(code: string | null | undefined, type: string | undefined, message: string | undefined): { code?: string; type?: string; retryAfterMs?: number } {
  const wait = message ? /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message) : null;
  return {
    ...(code ? { code } : {}),
    ...(type ? { type } : {}),
    ...(wait ? { retryAfterMs: Number(wait[1]) * (wait[2]!.toLowerCase() === 's' ? 1000 : 1) } : {}),
  };
}
