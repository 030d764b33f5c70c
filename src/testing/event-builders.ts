import type {
  Response,
  ResponseFunctionToolCall,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseError,
  ResponseReasoningItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { splitInto, toUsage, type ScriptedCustomToolCall, type ScriptedFunctionCall, type ScriptedHostedToolOptions, type ScriptedTextOptions, type ScriptedUsage } from './script-options';

export type { ScriptedCustomToolCall, ScriptedFunctionCall, ScriptedHostedToolOptions, ScriptedTextOptions, ScriptedUsage } from './script-options';

/** A stream event before its `sequence_number` is assigned. */
type UnsequencedEvent = ResponseStreamEvent extends infer E ? (E extends ResponseStreamEvent ? Omit<E, 'sequence_number'> : never) : never;

/**
 * An event as the live wire sends it where the `openai` package's types say otherwise or say nothing (the nested error
 * payload, hosted tools' progress events, any event a test scripts by hand): the recording wins.
 */
type WireEvent = { readonly type: string; readonly [field: string]: unknown };

/** Padding the live API adds to deltas (since 2025-08) so their sizes do not give their content away. */
const OBFUSCATION = 'x7Qp2z';

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

  constructor(options: { id?: string; model?: string; queued?: boolean } = {}) {
    this.id = options.id ?? `resp_${Math.random().toString(36).slice(2, 10)}`;
    this.model = options.model ?? 'gpt-4.1';
    this.push({ type: 'response.created', response: this.response(options.queued ? 'queued' : 'in_progress') });
    // Background mode: the live API sends response.queued between created and in_progress.
    if (options.queued) this.push({ type: 'response.queued', response: this.response('queued') });
    this.push({ type: 'response.in_progress', response: this.response('in_progress') });
  }

  /** An assistant message streamed as the given deltas (a string is one delta), with its phase and annotations if given. */
  text(chunks: string | readonly string[], options: ScriptedTextOptions = {}): this {
    const deltas = typeof chunks === 'string' ? [chunks] : chunks;
    const itemId = `msg_${this.output.length}_${this.id}`;
    const outputIndex = this.output.length;
    const full = deltas.join('');
    const part = { type: 'output_text' as const, text: '', annotations: [], logprobs: [] };
    const phase = options.phase ? { phase: options.phase } : {};
    const item = { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [], ...phase } as ResponseOutputMessage;
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    this.push({ type: 'response.content_part.added', item_id: itemId, output_index: outputIndex, content_index: 0, part });
    for (const delta of deltas) {
      this.push({ type: 'response.output_text.delta', item_id: itemId, output_index: outputIndex, content_index: 0, delta, logprobs: [], obfuscation: OBFUSCATION } as UnsequencedEvent);
    }
    (options.annotations ?? []).forEach((annotation, index) => {
      const added = { type: 'response.output_text.annotation.added', item_id: itemId, output_index: outputIndex, content_index: 0, annotation_index: index, annotation };
      this.push(added);
    });
    this.push({ type: 'response.output_text.done', item_id: itemId, output_index: outputIndex, content_index: 0, text: full, logprobs: [] });
    const donePart = { ...part, text: full, annotations: [...(options.annotations ?? [])] } as typeof part;
    this.push({ type: 'response.content_part.done', item_id: itemId, output_index: outputIndex, content_index: 0, part: donePart });
    const doneItem: ResponseOutputMessage = { ...item, status: 'completed', content: [donePart] };
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem });
    this.output.push(doneItem);
    return this;
  }

  /** A refusal: a message whose content is a refusal part, streamed as deltas, as the live API sends it. */
  refusal(chunks: string | readonly string[]): this {
    const deltas = typeof chunks === 'string' ? [chunks] : chunks;
    const itemId = `msg_${this.output.length}_${this.id}`;
    const outputIndex = this.output.length;
    const full = deltas.join('');
    const item: ResponseOutputMessage = { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    this.push({ type: 'response.content_part.added', item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'refusal', refusal: '' } });
    for (const delta of deltas) this.push({ type: 'response.refusal.delta', item_id: itemId, output_index: outputIndex, content_index: 0, delta });
    this.push({ type: 'response.refusal.done', item_id: itemId, output_index: outputIndex, content_index: 0, refusal: full });
    this.push({ type: 'response.content_part.done', item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'refusal', refusal: full } });
    const doneItem: ResponseOutputMessage = { ...item, status: 'completed', content: [{ type: 'refusal', refusal: full }] };
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem });
    this.output.push(doneItem);
    return this;
  }

  /**
   * A call of a tool the API runs itself (`'web_search_call'`, `'file_search_call'`, `'code_interpreter_call'`,
   * `'mcp_call'`, `'image_generation_call'`, …): the item, its in_progress, progress and completed events, the done item.
   */
  hostedTool(itemType: string, options: ScriptedHostedToolOptions = {}): this {
    const outputIndex = this.output.length;
    const itemId = `${itemType.split('_')[0]}_${outputIndex}_${this.id}`;
    const item = { id: itemId, type: itemType, status: 'in_progress' };
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    for (const status of ['in_progress', ...(options.progress ?? []), 'completed']) {
      this.push({ type: `response.${itemType}.${status}`, item_id: itemId, output_index: outputIndex });
    }
    const doneItem = { ...item, ...options.item, status: 'completed' } as ResponseOutputItem;
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
      this.push({ type: 'response.function_call_arguments.delta', item_id: itemId, output_index: outputIndex, delta, obfuscation: OBFUSCATION } as UnsequencedEvent);
    }
    // A call cut off by max_output_tokens gets no arguments.done: its item just ends incomplete.
    if (call.status !== 'incomplete') this.push({ type: 'response.function_call_arguments.done', item_id: itemId, output_index: outputIndex, name: call.name, arguments: args });
    const doneItem: ResponseFunctionToolCall = { ...item, arguments: args, status: call.status ?? 'completed' };
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item: doneItem });
    this.output.push(doneItem);
    return this;
  }

  /** A custom tool call (free-form input) whose input streams in deltas. */
  customToolCall(call: ScriptedCustomToolCall): this {
    const outputIndex = this.output.length;
    const itemId = `ctc_${outputIndex}_${this.id}`;
    const item = { id: itemId, type: 'custom_tool_call', call_id: call.callId ?? `call_${outputIndex}_${this.id}`, name: call.name, input: '' };
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    for (const delta of splitInto(call.input, 2)) this.push({ type: 'response.custom_tool_call_input.delta', item_id: itemId, output_index: outputIndex, delta });
    this.push({ type: 'response.custom_tool_call_input.done', item_id: itemId, output_index: outputIndex, input: call.input });
    return this.itemDone({ ...item, input: call.input }, outputIndex);
  }

  /** Any output item (an MCP approval request, a shell call, a kind that does not exist yet), added then done as given. */
  item(item: { readonly type: string; readonly [field: string]: unknown }): this {
    const outputIndex = this.output.length;
    this.push({ type: 'response.output_item.added', output_index: outputIndex, item });
    return this.itemDone(item, outputIndex);
  }

  private itemDone(item: object, outputIndex: number): this {
    this.push({ type: 'response.output_item.done', output_index: outputIndex, item });
    this.output.push(item as ResponseOutputItem);
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
    this.push(event as WireEvent);
    return this;
  }

  /**
   * Ends with `response.completed` and returns the sequence. Usage is always there, as the live API sends it: the counts
   * given, else plausible ones (input 12, output about one per 16 characters of the output items); `null` leaves it out.
   */
  completed(usage?: ScriptedUsage | null): ResponseStreamEvent[] {
    return this.end({ type: 'response.completed', response: this.response('completed', this.usageOr(usage)) });
  }

  /** Ends with `response.incomplete` (with usage, as `completed` has it) and returns the sequence. */
  incomplete(reason: 'max_output_tokens' | 'content_filter' = 'max_output_tokens', usage?: ScriptedUsage | null): ResponseStreamEvent[] {
    const response = { ...this.response('incomplete', this.usageOr(usage)), incomplete_details: { reason } };
    return this.end({ type: 'response.incomplete', response });
  }

  /** Ends with `response.failed` and returns the sequence. */
  failed(message = 'The server had an error', code: ResponseError['code'] = 'server_error'): ResponseStreamEvent[] {
    const response = { ...this.response('failed'), error: { code, message } };
    return this.end({ type: 'response.failed', response });
  }

  /**
   * Ends with an `error` event and returns the sequence. The payload is nested, as the live API sends it
   * (`{ type: 'error', error: { type, code, message, param } }`); `{ flat: true }` gives the flat shape the `openai`
   * package's types describe, which some proxies send.
   */
  error(message = 'Something went wrong', code: string | null = 'server_error', options: { flat?: boolean } = {}): ResponseStreamEvent[] {
    if (options.flat) return this.end({ type: 'error', code, message, param: null });
    const nested = { type: 'error', error: { type: code ?? 'server_error', code, message, param: null } };
    return this.end(nested);
  }

  /** Returns the sequence without a terminal event (a stream cut short). */
  cutOff(): ResponseStreamEvent[] {
    return [...this.events];
  }

  /** The usage given, plausible counts when none was, or none for `null`. */
  private usageOr(usage: ScriptedUsage | null | undefined): ScriptedUsage | undefined {
    if (usage !== undefined) return usage ?? undefined;
    const written = JSON.stringify(this.output).length;
    return { inputTokens: 12, outputTokens: Math.max(1, Math.ceil(written / 16)), cachedTokens: 0, reasoningTokens: 0 };
  }

  private end(event: UnsequencedEvent | WireEvent): ResponseStreamEvent[] {
    this.push(event);
    return [...this.events];
  }

  private push(event: UnsequencedEvent | WireEvent): void {
    this.events.push({ ...event, sequence_number: this.sequence++ } as ResponseStreamEvent);
  }

  private response(status: NonNullable<Response['status']>, usage?: ScriptedUsage): Response {
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
export function textResponse(chunks: string | readonly string[], usage?: ScriptedUsage | null): ResponseStreamEvent[] {
  return new ResponseScript().text(chunks).completed(usage);
}

/** A response that only asks for function calls. */
export function functionCallResponse(calls: readonly ScriptedFunctionCall[], usage?: ScriptedUsage | null): ResponseStreamEvent[] {
  const script = new ResponseScript();
  for (const call of calls) script.functionCall(call);
  return script.completed(usage);
}
