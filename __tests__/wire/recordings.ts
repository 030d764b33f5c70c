import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sseEventsOf } from '../../src/testing/sse-body';

/** Where the recordings are: `WIRE_FIXTURES`, or `../shared/wire-fixtures` beside the clone (as CI has it). */
export const FIXTURES = process.env.WIRE_FIXTURES ?? resolve(__dirname, '../../../shared/wire-fixtures');

/** The answer served to every request after the recorded one (a function-call follow-up, the next context). */
export const FOLLOW_UP = 'text-after-fn-gpt-4o-2025-03.sse';

/** A recording, and what it implies the pipeline must show, read from its own events. */
export interface Recording {
  readonly name: string;
  readonly body: Buffer;
  /** The answer text: output text and refusal deltas, in order, up to the terminal event. */
  readonly text: string;
  /** The reasoning summary text. */
  readonly thoughts: string;
  /** The terminal event's type, or undefined when the recording has none. */
  readonly terminal: string | undefined;
  /** What the one ErrorFrame must contain, when the response did not complete. */
  readonly errorText: string | undefined;
  /** The error code the server gave, if any. */
  readonly errorCode: string | undefined;
  /** Token counts of the terminal response, when it has them. */
  readonly usage: { readonly input: number; readonly output: number; readonly total: number } | undefined;
  /** The function calls of a completed response, by name, with their arguments from the best source the wire has. */
  readonly calls: readonly { readonly name: string; readonly arguments: unknown }[];
  /** The MCP approval requests, by id: each must reach the app. */
  readonly approvals: readonly string[];
  /** Hosted-tool output items, by id. */
  readonly hostedItems: readonly string[];
  /** How many annotations were announced. */
  readonly annotations: number;
}

const TERMINAL = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);
const HOSTED = new Set(['web_search_call', 'file_search_call', 'code_interpreter_call', 'mcp_call', 'mcp_list_tools', 'image_generation_call']);

/** Every `.sse` recording under the folder (sub-folders included, named by their relative path), read. Throws when the folder is missing: this suite exists to check them. */
export function recordings(): Recording[] {
  if (!existsSync(FIXTURES)) throw new Error(`No wire fixtures at ${FIXTURES}: set WIRE_FIXTURES or put shared/ beside the clone`);
  return readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.sse'))
    .sort()
    .map((name) => read(name));
}

/** One recording's body. */
export function bodyOf(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

function read(name: string): Recording {
  const body = bodyOf(name);
  type Event = Record<string, unknown> & { type: string };
  const events = sseEventsOf(body.toString('utf8')) as Event[];
  const end = events.findIndex((event) => TERMINAL.has(event.type));
  const played = end === -1 ? events : events.slice(0, end + 1);
  const terminal = end === -1 ? undefined : events[end];
  const doneItems = played.filter((event) => event.type === 'response.output_item.done').map((event) => event.item as Record<string, unknown>);
  const response = terminal?.response as Record<string, unknown> | undefined;
  const usage = response?.usage as Record<string, number> | null | undefined;
  const nested = terminal?.error as Record<string, unknown> | undefined;
  const failure = (response?.error ?? undefined) as Record<string, unknown> | undefined;
  const incomplete = response?.incomplete_details as Record<string, unknown> | null | undefined;
  const errorText =
    terminal === undefined || terminal.type === 'response.completed'
      ? undefined
      : terminal.type === 'error'
        ? String(nested?.message ?? terminal.message)
        : terminal.type === 'response.failed'
          ? String(failure?.message)
          : String(incomplete?.reason);
  const code = terminal?.type === 'error' ? (nested?.code ?? terminal.code) : failure?.code;
  return {
    name,
    body,
    text: [...played.filter((event) => event.type === 'response.output_text.delta' || event.type === 'response.refusal.delta').map((event) => String(event.delta))].join(''),
    thoughts: played
      .filter((event) => event.type === 'response.reasoning_summary_text.delta' || event.type === 'response.reasoning_text.delta')
      .map((event) => String(event.delta))
      .join(''),
    terminal: terminal?.type,
    errorText,
    errorCode: typeof code === 'string' ? code : undefined,
    usage: usage ? { input: usage.input_tokens ?? 0, output: usage.output_tokens ?? 0, total: usage.total_tokens ?? 0 } : undefined,
    calls: terminal?.type === 'response.completed' ? callsOf(doneItems, (response?.output ?? []) as Record<string, unknown>[]) : [],
    approvals: doneItems.filter((item) => item.type === 'mcp_approval_request').map((item) => String(item.id)),
    hostedItems: doneItems.filter((item) => HOSTED.has(String(item.type))).map((item) => String(item.id)),
    annotations: played.filter((event) => event.type === 'response.output_text.annotation.added').length,
  };
}

/**
 * The calls of a completed response: every function call item, its arguments from the terminal response's output when
 * the streamed item has none (OpenRouter), in output order.
 */
function callsOf(doneItems: readonly Record<string, unknown>[], output: readonly Record<string, unknown>[]): Recording['calls'] {
  return doneItems
    .filter((item) => item.type === 'function_call')
    .map((item) => {
      const final = output.find((candidate) => candidate.type === 'function_call' && candidate.call_id === item.call_id);
      const text = String(item.arguments || final?.arguments || '{}');
      return { name: String(item.name), arguments: JSON.parse(text) as unknown };
    });
}

/** Ways to cut a body into the chunks a reader receives: each is a list of chunk end offsets. */
export const CHUNKINGS: Readonly<Record<string, (body: Buffer) => number[]>> = {
  whole: (body) => [body.length],
  'every 7 bytes (inside lines and characters)': (body) => range(7, body.length, 7).concat(body.length),
  'inside every multi-byte character, and between every CR and LF': (body) => {
    const ends: number[] = [];
    for (let index = 0; index < body.length; index++) {
      const byte = body[index]!;
      // After a lead byte of a multi-byte character, or after a CR: the next chunk starts mid-character or with the LF.
      if (byte >= 0xc0 || byte === 0x0d) ends.push(index + 1);
    }
    return [...ends, body.length];
  },
};

/** The body cut at the given end offsets. */
export function cut(body: Buffer, ends: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const end of ends) {
    if (end > start) chunks.push(new Uint8Array(body.subarray(start, end)));
    start = Math.max(start, end);
  }
  return chunks;
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let value = from; value < to; value += step) values.push(value);
  return values;
}
