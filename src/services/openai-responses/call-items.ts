import type { ResponseRecord, StreamedFunctionCall } from '../../llm/response-record';

/** What a function call's events say about it, read as the wire has them (servers differ in what they fill in). */
interface CallItem {
  readonly type?: string;
  readonly id?: string | undefined;
  readonly call_id?: string | undefined;
  readonly name?: string | undefined;
  readonly arguments?: string | undefined;
  /** A custom tool call's raw input (its "arguments"). */
  readonly input?: string | undefined;
  readonly status?: string | undefined;
  readonly caller?: unknown;
}

/**
 * The key of an output item in the record: its output index when the server gives one (GitHub Copilot changes the item
 * id on every event and keeps only the index), else its id.
 */
function keyOf(outputIndex: unknown, itemId: unknown): string {
  if (typeof outputIndex !== 'number') return `id:${String(itemId)}`;
  // Argument deltas look their call up per event: the common keys are made once, not per delta.
  return INDEX_KEYS[outputIndex] ?? `#${outputIndex}`;
}

const INDEX_KEYS: readonly string[] = Array.from({ length: 64 }, (_, index) => `#${index}`);

/** The call an event refers to: by output index, else by item id. */
export function callOf(state: ResponseRecord, outputIndex: unknown, itemId: unknown): StreamedFunctionCall | undefined {
  const byKey = state.functionCalls.get(keyOf(outputIndex, itemId));
  if (byKey || typeof itemId !== 'string') return byKey;
  for (const call of state.functionCalls.values()) if (call.itemId === itemId) return call;
  return undefined;
}

/** A function call item started: recorded, its arguments to come. */
export function callStarted(state: ResponseRecord, item: CallItem, outputIndex: unknown): void {
  const itemId = item.id ?? item.call_id ?? '';
  state.functionCalls.set(keyOf(outputIndex, itemId), {
    itemId,
    outputIndex: typeof outputIndex === 'number' ? outputIndex : undefined,
    callId: item.call_id ?? '',
    name: item.name ?? '',
    arguments: argumentsOf(item) ?? '',
    done: false,
    caller: callerOf(item),
    custom: item.type === 'custom_tool_call',
  });
}

/**
 * A function call item finished. Arguments come from the best source: what streamed, else the item's own (the terminal
 * response's output is read at the end, see `settleCalls`). Only a completed item is a call to run: one cut off by
 * `max_output_tokens` has unfinished arguments; one a program called (`caller`) stays `in_progress` until its output is sent.
 */
export function callFinished(state: ResponseRecord, item: CallItem, outputIndex: unknown): void {
  const known = callOf(state, outputIndex, item.id ?? item.call_id);
  const itemId = known?.itemId ?? item.id ?? item.call_id ?? '';
  const caller = callerOf(item) ?? known?.caller;
  const done = item.status === undefined || item.status === 'completed' || (item.status === 'in_progress' && caller !== undefined);
  state.functionCalls.set(keyOf(outputIndex, known?.itemId ?? itemId), {
    itemId,
    outputIndex: typeof outputIndex === 'number' ? outputIndex : known?.outputIndex,
    callId: item.call_id || known?.callId || '',
    name: item.name || known?.name || '',
    arguments: known?.arguments || argumentsOf(item) || '',
    done,
    caller,
    custom: item.type === 'custom_tool_call',
  });
}

/**
 * At the terminal event, calls still without usable arguments take them from the response's own output (OpenRouter in
 * front of Claude streams `arguments: ""` everywhere and sends them only there), matched by call id, then by output
 * index. A completed response's calls are all finished, whatever their last item said.
 */
export function settleCalls(state: ResponseRecord, output: readonly unknown[] | undefined, completed: boolean): void {
  for (const call of state.functionCalls.values()) {
    if (call.custom ? !call.arguments : !isJson(call.arguments)) {
      const items = (output ?? []) as CallItem[];
      const final = items.find((item) => item?.call_id !== undefined && item.call_id === call.callId) ?? (call.outputIndex === undefined ? undefined : items[call.outputIndex]);
      const best = final && argumentsOf(final);
      if (best && (final.call_id === undefined || final.call_id === call.callId)) call.arguments = best;
    }
    if (completed && call.name) call.done = true;
  }
}

function argumentsOf(item: CallItem): string | undefined {
  const value = item.type === 'custom_tool_call' ? item.input : item.arguments;
  return typeof value === 'string' ? value : undefined;
}

function callerOf(item: CallItem): Readonly<Record<string, unknown>> | undefined {
  return item.caller && typeof item.caller === 'object' ? (item.caller as Readonly<Record<string, unknown>>) : undefined;
}

function isJson(text: string): boolean {
  if (!text) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
