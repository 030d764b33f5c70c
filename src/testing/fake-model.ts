import type { FakeReply, FakeReplyHandler, RecordedRequest } from './fake-reply';
import { ResponseScript } from './event-builders';
import { argumentsFor, toolNamedIn, type OfferedTool } from './fake-tool-choice';

/** Options of the embedded fake model. */
export interface FakeModelOptions {
  /** Milliseconds between streamed events, for a realistic typing feel (default 15). */
  readonly eventDelayMs?: number | undefined;
}

/**
 * A tiny scripted "model" for demos and tests, with plausible token usage. It streams word by word and:
 * - after a function call, answers with the function's output;
 * - given arithmetic such as `12 * 7` with a `calculate` tool offered, calls it with `{ expression }`;
 * - asked about an order with a `look_up_order` tool offered, says it will look, then calls it with `{ orderId }`;
 * - when the user's words name an offered tool (its name, or a word of it: "weather" for `get_weather`), calls it with
 *   arguments made from its JSON Schema (a number or a quoted word the user said per required property, else a
 *   placeholder of the right type); a custom tool gets what the user said as its input;
 * - otherwise echoes the last user message.
 * @example const server = await FakeResponsesServer.start({ fallback: fakeModel() });
 */
export function fakeModel(options: FakeModelOptions = {}): FakeReplyHandler {
  return (request: RecordedRequest): FakeReply => {
    const input = Array.isArray(request.body?.input) ? (request.body.input as Record<string, unknown>[]) : [];
    const offered = Array.isArray(request.body?.tools) ? (request.body.tools as OfferedTool[]) : [];
    const tools = new Set(offered.map((tool) => tool.name));
    const script = new ResponseScript({ model: String(request.body?.model ?? 'fake-model') });
    const last = input.at(-1);
    const said = lastUserText(input);
    const arithmetic = /(-?\d+(?:\.\d+)?\s*[-+*/]\s*-?\d+(?:\.\d+)?)/.exec(said)?.[1];
    const named = toolNamedIn(said, offered);
    if (last?.type === 'function_call_output' || last?.type === 'custom_tool_call_output') {
      script.text(words(`The tool says: ${String(last.output)}.`));
    } else if (tools.has('calculate') && arithmetic) {
      script.functionCall({ name: 'calculate', arguments: { expression: arithmetic } });
    } else if (tools.has('look_up_order') && /\border\b/i.test(said)) {
      script.text(words('Let me look that up for you, it takes a moment. '));
      script.functionCall({ name: 'look_up_order', arguments: { orderId: /\d+/.exec(said)?.[0] ?? '1234' } });
    } else if (named?.type === 'custom') {
      script.customToolCall({ name: named.name!, input: said });
    } else if (named) {
      script.functionCall({ name: named.name!, arguments: argumentsFor(named, said) });
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
