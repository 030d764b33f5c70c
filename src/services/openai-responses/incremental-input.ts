import type { ResponseInputItem, ResponseOutputItem } from 'openai/resources/responses/responses';

/** What the connection remembers of the last response it completed. */
export interface LastResponse {
  /** The response's id, for `previous_response_id`. */
  readonly id: string;
  /** The full input the request that produced it stood for. */
  readonly input: readonly ResponseInputItem[];
  /** Its output items, which the server keeps with it. */
  readonly output: readonly ResponseOutputItem[];
  /** The model that produced it, when known: a request for another model does not extend it. */
  readonly model?: string | undefined;
}

/** The `input` and `previous_response_id` to send. */
export interface IncrementalInput {
  readonly input: readonly ResponseInputItem[];
  readonly previousResponseId: string | undefined;
}

/**
 * Sends only what is new (pure): when the full input starts with the last response's input followed by its output,
 * the server already has that prefix, so only the items after it go out, with `previous_response_id`. Otherwise (a
 * changed history, an edited message, the first turn) the full input goes out. Reasoning items are skipped on both sides
 * of the comparison: the server keeps them with the response, and the context may store them elsewhere.
 */
export function incrementalInput(full: readonly ResponseInputItem[], last: LastResponse | undefined): IncrementalInput {
  if (!last) return { input: full, previousResponseId: undefined };
  const prefix = [...last.input, ...last.output.flatMap(outputAsInput)].filter(isComparable).map(canonical);
  let matched = 0;
  let index = 0;
  for (; index < full.length && matched < prefix.length; index++) {
    const item = full[index]!;
    if (!isComparable(item)) continue;
    if (canonical(item) !== prefix[matched]) return { input: full, previousResponseId: undefined };
    matched++;
  }
  if (matched < prefix.length) return { input: full, previousResponseId: undefined };
  const rest = full.slice(index).filter(isComparable);
  return rest.length > 0 ? { input: rest, previousResponseId: last.id } : { input: full, previousResponseId: undefined };
}

/** An output item as the context turns it back into input: assistant text as one message, calls as function_call items. */
function outputAsInput(item: ResponseOutputItem): ResponseInputItem[] {
  if (item.type === 'message') {
    const text = item.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('');
    return text ? [{ type: 'message', role: 'assistant', content: text }] : [];
  }
  if (item.type === 'function_call') return [{ type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments }];
  return [];
}

function isComparable(item: ResponseInputItem): boolean {
  return item.type !== 'reasoning';
}

/** A key that two items share exactly when they say the same thing (field order and ids aside). */
function canonical(item: ResponseInputItem): string {
  const record: Readonly<Record<string, unknown>> = { ...item };
  switch (record.type ?? 'message') {
    case 'message':
      return JSON.stringify(['message', record.role, record.content]);
    case 'function_call':
      return JSON.stringify(['function_call', record.call_id, record.name, record.arguments]);
    case 'function_call_output':
      return JSON.stringify(['function_call_output', record.call_id, record.output]);
    default:
      return JSON.stringify(record);
  }
}
