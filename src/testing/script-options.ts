/** The options of `ResponseScript`'s builders, and the helpers they share. */
import type { ResponseUsage } from 'openai/resources/responses/responses';

/** Token counts for a scripted response; omitted counts are left out of `usage` too, as a sparse server would. */
export interface ScriptedUsage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly totalTokens?: number | undefined;
  readonly cachedTokens?: number | undefined;
  readonly reasoningTokens?: number | undefined;
}

/** One function call in a scripted response. */
export interface ScriptedFunctionCall {
  /** The function's name. */
  readonly name: string;
  /** The arguments: an object (sent as JSON) or a raw string (to script malformed JSON). */
  readonly arguments: Record<string, unknown> | string;
  /** The call id; generated when left out. */
  readonly callId?: string | undefined;
  /** How many argument deltas to split the JSON into (default 2). */
  readonly chunks?: number | undefined;
  /** The item's final status: `'incomplete'` scripts a call cut off by `max_output_tokens` (default `'completed'`). */
  readonly status?: 'completed' | 'incomplete' | undefined;
}

/** Options of a scripted text message. */
export interface ScriptedTextOptions {
  /** The message's phase, as newer models send it. */
  readonly phase?: 'commentary' | 'final_answer' | undefined;
  /** Annotations (citations) announced after the text, in the API's shape, e.g. `{ type: 'url_citation', url, title, start_index, end_index }`. */
  readonly annotations?: readonly Record<string, unknown>[] | undefined;
}

/** Options of a scripted hosted-tool call. */
export interface ScriptedHostedToolOptions {
  /** The progress statuses between in_progress and completed, e.g. `['searching']` (each a `response.<item>.<status>` event). */
  readonly progress?: readonly string[] | undefined;
  /** Fields of the finished item, e.g. `{ action: { type: 'search', query: 'weather' } }`. */
  readonly item?: Record<string, unknown> | undefined;
}

/** One custom tool call (free-form input) in a scripted response. */
export interface ScriptedCustomToolCall {
  /** The custom tool's name. */
  readonly name: string;
  /** The raw text input the model writes. */
  readonly input: string;
  /** The call id; generated when left out. */
  readonly callId?: string | undefined;
}

/** The `usage` object of a scripted response. */
export function toUsage(usage: ScriptedUsage): ResponseUsage {
  // Counts left out stay out, as a sparse server sends them: the fields are the wire's, not all the type's.
  const sparse: Partial<ResponseUsage> = { total_tokens: usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) };
  if (usage.inputTokens !== undefined) sparse.input_tokens = usage.inputTokens;
  if (usage.outputTokens !== undefined) sparse.output_tokens = usage.outputTokens;
  if (usage.cachedTokens !== undefined) sparse.input_tokens_details = { cached_tokens: usage.cachedTokens } as ResponseUsage['input_tokens_details'];
  if (usage.reasoningTokens !== undefined) sparse.output_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return sparse as ResponseUsage;
}

/** Text cut into about `parts` deltas. */
export function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, parts)));
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += size) chunks.push(text.slice(start, start + size));
  return chunks;
}
