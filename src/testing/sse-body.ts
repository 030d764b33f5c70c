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
