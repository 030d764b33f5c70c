import type { FakeReply, FakeReplyHandler, RecordedRequest } from './fake-reply';
import { ResponseScript } from './event-builders';

/** Options of the embedded fake model. */
export interface FakeModelOptions {
  /** Milliseconds between streamed events, for a realistic typing feel (default 15). */
  readonly eventDelayMs?: number;
}

/**
 * A tiny scripted "model" for demos and tests, with plausible token usage. It streams word by word and:
 * - after a function call, answers with the function's output;
 * - asked about the time with a `get_current_time` tool offered, calls it;
 * - given arithmetic such as `12 * 7` with a `calculate` tool offered, calls it with `{ expression }`;
 * - asked about an order with a `look_up_order` tool offered, calls it with `{ orderId }` (the number said, or "1234");
 * - otherwise echoes the last user message.
 * @example const server = await FakeResponsesServer.start({ fallback: fakeModel() });
 */
export function fakeModel(options: FakeModelOptions = {}): FakeReplyHandler {
  return (request: RecordedRequest): FakeReply => {
    const input = Array.isArray(request.body?.input) ? (request.body.input as Record<string, unknown>[]) : [];
    const tools = new Set(Array.isArray(request.body?.tools) ? (request.body.tools as { name?: string }[]).map((tool) => tool.name) : []);
    const script = new ResponseScript({ model: String(request.body?.model ?? 'fake-model') });
    const last = input.at(-1);
    const said = lastUserText(input);
    const arithmetic = /(-?\d+(?:\.\d+)?\s*[-+*/]\s*-?\d+(?:\.\d+)?)/.exec(said)?.[1];
    if (last?.type === 'function_call_output') {
      script.text(words(`The tool says: ${String(last.output)}.`));
    } else if (tools.has('get_current_time') && /\btime\b/i.test(said)) {
      script.functionCall({ name: 'get_current_time', arguments: {} });
    } else if (tools.has('calculate') && arithmetic) {
      script.functionCall({ name: 'calculate', arguments: { expression: arithmetic } });
    } else if (tools.has('look_up_order') && /\border\b/i.test(said)) {
      script.text(words('Let me look that up for you, it takes a moment. '));
      script.functionCall({ name: 'look_up_order', arguments: { orderId: /\d+/.exec(said)?.[0] ?? '1234' } });
    } else {
      script.text(words(`You said: "${said}". I am the embedded fake model, so that is all I can do.`));
    }
    const inputTokens = JSON.stringify(input).length >> 2;
    const events = script.completed({ inputTokens, outputTokens: 12, cachedTokens: inputTokens > 64 ? 64 : 0, reasoningTokens: 0 });
    return { kind: 'stream', events, eventDelayMs: options.eventDelayMs ?? 15 };
  };
}

function words(text: string): string[] {
  return text.split(/(?<= )/);
}

function lastUserText(input: readonly Record<string, unknown>[]): string {
  for (let index = input.length - 1; index >= 0; index--) {
    const item = input[index];
    if (item?.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    if (Array.isArray(item.content)) {
      return item.content.map((part: { type?: string; text?: string }) => (part?.type === 'input_text' ? part.text : '')).join(' ');
    }
  }
  return '';
}
