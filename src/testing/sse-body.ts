import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { chatChunksFrom } from './chat-chunks';

/** SSE bodies, both ways: written in the API's framing (cached per event list), and read back as payloads. */

/**
 * The JSON payloads of an SSE body, in order (CRLF or LF line ends, comment lines, multi-line data, `[DONE]` skipped).
 * For serving a recorded body over WebSocket or as a non-streaming answer; the client under test has its own parser.
 */
export function sseEventsOf(body: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const block of body.replace(/\r\n?/g, '\n').split(/\n\n+/)) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data && !data.startsWith('[DONE]')) events.push(JSON.parse(data) as Record<string, unknown>);
  }
  return events;
}

/** One event in the API's SSE framing: `event:` and `data:` lines, then a blank line. */
export function sseMessage(event: ResponseStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** SSE bodies by event list: a script served many times (benchmarks) is serialised once. */
const sseBodies = new WeakMap<readonly ResponseStreamEvent[], string>();

export function sseBody(events: readonly ResponseStreamEvent[]): string {
  let body = sseBodies.get(events);
  if (body === undefined) {
    body = events.map(sseMessage).join('');
    sseBodies.set(events, body);
  }
  return body;
}

/** One chat chunk in the Chat Completions SSE framing: a `data:` line, then a blank line. */
export function chatMessage(chunk: unknown): string {
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The line that ends a Chat Completions stream. */
export const CHAT_DONE = 'data: [DONE]\n\n';

/** Chat Completions SSE bodies by event list, serialised once. */
const chatBodies = new WeakMap<readonly ResponseStreamEvent[], string>();

export function chatBody(events: readonly ResponseStreamEvent[]): string {
  let body = chatBodies.get(events);
  if (body === undefined) {
    body = `${chatChunksFrom(events).map(chatMessage).join('')}${CHAT_DONE}`;
    chatBodies.set(events, body);
  }
  return body;
}
