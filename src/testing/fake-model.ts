import type { FakeReply, FakeReplyHandler, RecordedRequest } from './fake-server';
import { ResponseScript } from './event-builders';

/** Options of the embedded fake model. */
export interface FakeModelOptions {
  /** Milliseconds between streamed events, for a realistic typing feel (default 15). */
  readonly eventDelayMs?: number;
}

/**
 * A tiny scripted "model" for demos and tests: answers every request by echoing the last user message, streamed
 * word by word, with plausible token usage. Pass it as the fake server's `fallback`.
 * @example const server = await FakeResponsesServer.start({ fallback: fakeModel() });
 */
export function fakeModel(options: FakeModelOptions = {}): FakeReplyHandler {
  return (request: RecordedRequest): FakeReply => {
    const said = lastUserText(request.body?.input);
    const words = `You said: "${said}". I am the embedded fake model, so that is all I can do.`.split(/(?<= )/);
    const inputTokens = JSON.stringify(request.body?.input ?? '').length >> 2;
    const events = new ResponseScript({ model: String(request.body?.model ?? 'fake-model') })
      .text(words)
      .completed({ inputTokens, outputTokens: words.length, cachedTokens: 0, reasoningTokens: 0 });
    return { kind: 'stream', events, eventDelayMs: options.eventDelayMs ?? 15 };
  };
}

function lastUserText(input: unknown): string {
  if (!Array.isArray(input)) return typeof input === 'string' ? input : '';
  for (let index = input.length - 1; index >= 0; index--) {
    const item = input[index] as { role?: string; content?: unknown };
    if (item?.role !== 'user') continue;
    if (typeof item.content === 'string') return item.content;
    if (Array.isArray(item.content)) {
      return item.content.map((part: { type?: string; text?: string }) => (part?.type === 'input_text' ? part.text : '')).join(' ');
    }
  }
  return '';
}
