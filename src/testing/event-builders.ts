import type {
  Response,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseError,
  ResponseReasoningItem,
  ResponseStreamEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';

/** A stream event before its `sequence_number` is assigned. */
type UnsequencedEvent = ResponseStreamEvent extends infer E ? (E extends ResponseStreamEvent ? Omit<E, 'sequence_number'> : never) : never;

/** Token counts for a scripted response; omitted counts are left out of `usage` too, as a sparse server would. */
export interface ScriptedUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly totalTokens?: number;
  readonly cachedTokens?: number;
  readonly reasoningTokens?: number;
}

/** One function call in a scripted response. */
export interface ScriptedFunctionCall {
  /** The function's name. */
  readonly name: string;
  /** The arguments: an object (sent as JSON) or a raw string (to script malformed JSON). */
  readonly arguments: Record<string, unknown> | string;
  /** The call id; generated when left out. */
  readonly callId?: string;
  /** How many argument deltas to split the JSON into (default 2). */
  readonly chunks?: number;
}

/**
 * Builds a Responses stream event sequence exactly as the API sends it (types from the `openai` package):
 * `response.created`, `response.in_progress`, the output items with their deltas, then a terminal event.
 * Used by the fake server and, as plain arrays, by marble tests.
 * @example const events = new ResponseScript().text(['Hel', 'lo']).completed({ inputTokens: 5, outputTokens: 2 });
 */
export class ResponseScript {
  /** The events so far, in wire order. */
  private readonly events: ResponseStreamEvent[] = [];
  /** The finished output items, for the terminal event's `response.output`. */
  private readonly output: ResponseOutputItem[] = [];
  /** The next `sequence_number`, as the API counts them. */
  private sequence = 0;
  private readonly id: string;
  private readonly model: string;

  constructor(options: { id?: string; model?: string } = {}) {
    this.id = options.id ?? `resp_${Math.random().toString(36).slice(2, 10)}`;
    this.model = options.model ?? 'gpt-4.1';
    this.push({ type: 'response.created', response: this.response('in_progress') });
    this.push({ type: 'response.in_progress', response: this.response('in_progress') });
  }

  /** An assistant message streamed as the given deltas (a string is one delta). */
  text(chunks: string | readonly string[]): this {
    const deltas = typeof chunks === 'string' ? [chunks] : chunks;
    const itemId = `msg_${this.output.length}_${this.id}`;
    const outputIndex = this.output.length;
    const full = deltas.join('');
    const part = { type: 'output_text' as const, text: '', annotations: [], logprobs: [] };
    const item: ResponseOutputMessage = { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    this.push({ type: 'response.content_part.added', item_id: itemId, output_index: outputIndex, content_index: 0, part });
    for (const delta of deltas) {
      this.push({ type: 'response.output_text.delta', item_id: itemId, output_index: outputIndex, content_index: 0, delta, logprobs: [] });
    }
    this.push({ type: 'response.output_text.done', item_id: itemId, output_index: outputIndex, content_index: 0, text: full, logprobs: [] });
    const donePart = { ...part, text: full };
    this.push({ type: 'response.content_part.done', item_id: itemId, output_index: outputIndex, content_index: 0, part: donePart });
    const doneItem: ResponseOutputMessage = { ...item, status: 'completed', content: [donePart] };
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem });
    this.output.push(doneItem);
    return this;
  }

  /** A function call whose arguments stream in deltas. */
  functionCall(call: ScriptedFunctionCall): this {
    const outputIndex = this.output.length;
    const itemId = `fc_${outputIndex}_${this.id}`;
    const callId = call.callId ?? `call_${outputIndex}_${this.id}`;
    const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
    const item: ResponseFunctionToolCall = { id: itemId, type: 'function_call', call_id: callId, name: call.name, arguments: '', status: 'in_progress' };
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    for (const delta of splitInto(args, call.chunks ?? 2)) {
      this.push({ type: 'response.function_call_arguments.delta', item_id: itemId, output_index: outputIndex, delta });
    }
    this.push({ type: 'response.function_call_arguments.done', item_id: itemId, output_index: outputIndex, name: call.name, arguments: args });
    const doneItem: ResponseFunctionToolCall = { ...item, arguments: args, status: 'completed' };
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem });
    this.output.push(doneItem);
    return this;
  }

  /** A reasoning item with a streamed summary and (optionally) encrypted content to send back later. */
  reasoning(summary: readonly string[], encryptedContent: string | null = null): this {
    const outputIndex = this.output.length;
    const itemId = `rs_${outputIndex}_${this.id}`;
    const item: ResponseReasoningItem = { id: itemId, type: 'reasoning', summary: [], encrypted_content: encryptedContent };
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    const part = { type: 'summary_text' as const, text: '' };
    this.push({ type: 'response.reasoning_summary_part.added', item_id: itemId, output_index: outputIndex, summary_index: 0, part });
    for (const delta of summary) {
      this.push({ type: 'response.reasoning_summary_text.delta', item_id: itemId, output_index: outputIndex, summary_index: 0, delta });
    }
    const text = summary.join('');
    this.push({ type: 'response.reasoning_summary_text.done', item_id: itemId, output_index: outputIndex, summary_index: 0, text });
    this.push({ type: 'response.reasoning_summary_part.done', item_id: itemId, output_index: outputIndex, summary_index: 0, part: { ...part, text } });
    const doneItem: ResponseReasoningItem = { ...item, summary: [{ type: 'summary_text', text }] };
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem });
    this.output.push(doneItem);
    return this;
  }

  /** Any event, as is (e.g. an unknown type or one out of order); `sequence_number` is filled in. */
  event(event: Record<string, unknown>): this {
    this.push(event as unknown as UnsequencedEvent);
    return this;
  }

  /** Ends with `response.completed` (with usage when given) and returns the sequence. */
  completed(usage?: ScriptedUsage): ResponseStreamEvent[] {
    return this.end({ type: 'response.completed', response: this.response('completed', usage) });
  }

  /** Ends with `response.incomplete` and returns the sequence. */
  incomplete(reason: 'max_output_tokens' | 'content_filter' = 'max_output_tokens', usage?: ScriptedUsage): ResponseStreamEvent[] {
    const response = { ...this.response('incomplete', usage), incomplete_details: { reason } };
    return this.end({ type: 'response.incomplete', response });
  }

  /** Ends with `response.failed` and returns the sequence. */
  failed(message = 'The server had an error', code: ResponseError['code'] = 'server_error'): ResponseStreamEvent[] {
    const response = { ...this.response('failed'), error: { code, message } };
    return this.end({ type: 'response.failed', response });
  }

  /** Ends with an `error` event and returns the sequence. */
  error(message = 'Something went wrong', code: string | null = 'server_error'): ResponseStreamEvent[] {
    return this.end({ type: 'error', code, message, param: null });
  }

  /** Returns the sequence without a terminal event (a stream cut short). */
  cutOff(): ResponseStreamEvent[] {
    return [...this.events];
  }

  private end(event: UnsequencedEvent): ResponseStreamEvent[] {
    this.push(event);
    return [...this.events];
  }

  private push(event: UnsequencedEvent): void {
    this.events.push({ ...event, sequence_number: this.sequence++ } as ResponseStreamEvent);
  }

  private response(status: Response['status'], usage?: ScriptedUsage): Response {
    const text = this.output
      .flatMap((item) => (item.type === 'message' ? item.content : []))
      .map((part) => (part.type === 'output_text' ? part.text : ''))
      .join('');
    const response: Response = {
      id: this.id,
      object: 'response',
      created_at: 1_700_000_000,
      status,
      model: this.model,
      output: status === 'in_progress' ? [] : [...this.output],
      output_text: text,
      error: null,
      incomplete_details: null,
      instructions: null,
      metadata: null,
      parallel_tool_calls: true,
      temperature: null,
      tool_choice: 'auto',
      tools: [],
      top_p: null,
    };
    if (usage) response.usage = toUsage(usage);
    return response;
  }
}

/** A complete text answer: `textResponse(['Hel', 'lo'])`. */
export function textResponse(chunks: string | readonly string[], usage?: ScriptedUsage): ResponseStreamEvent[] {
  return new ResponseScript().text(chunks).completed(usage);
}

/** A response that only asks for function calls. */
export function functionCallResponse(calls: readonly ScriptedFunctionCall[], usage?: ScriptedUsage): ResponseStreamEvent[] {
  const script = new ResponseScript();
  for (const call of calls) script.functionCall(call);
  return script.completed(usage);
}

function toUsage(usage: ScriptedUsage): ResponseUsage {
  const result: Record<string, unknown> = {};
  if (usage.inputTokens !== undefined) result.input_tokens = usage.inputTokens;
  if (usage.outputTokens !== undefined) result.output_tokens = usage.outputTokens;
  const total = usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  result.total_tokens = total;
  if (usage.cachedTokens !== undefined) result.input_tokens_details = { cached_tokens: usage.cachedTokens };
  if (usage.reasoningTokens !== undefined) result.output_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return result as unknown as ResponseUsage;
}

function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, parts)));
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += size) chunks.push(text.slice(start, start + size));
  return chunks;
}
