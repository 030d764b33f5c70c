import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeReply, RecordedRequest } from './fake-reply';
import { sseEventsOf } from './sse-body';

/** A request's body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A recorded body as it is, in pieces of `chunkBytes` (a non-streaming request gets its terminal response as JSON). */
export function writeRecorded(reply: Extract<FakeReply, { kind: 'sse' }>, request: RecordedRequest, res: ServerResponse): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : Buffer.from(reply.body);
  if (request.body?.stream !== true) {
    const terminal = sseEventsOf(body.toString('utf8')).reverse().find((event) => event.response && event.type !== 'response.created');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(terminal?.response ?? {}));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const size = reply.chunkBytes ?? body.length;
  for (let start = 0; start < body.length && !res.destroyed; start += size) res.write(body.subarray(start, start + size));
  res.end();
}
