/**
 * The bench's fake server in a process of its own (forked by `bench/main.ts`), so the heap the bench measures per open
 * session is the client's alone. Every reply streams 20 events of a 200-word answer, then stalls: the session stays
 * open until the client aborts. Answers each IPC message with the server's counts.
 */
import { FakeResponsesServer, textResponse } from '../src/testing';

/** What the parent reads of the server. */
export interface ServerCounts {
  readonly baseURL: string;
  readonly requests: number;
  readonly activeReplies: number;
  readonly openSockets: number;
}

async function main(): Promise<void> {
  // Idle sockets close at once, so each side of a measurement pays for its own.
  const server = await FakeResponsesServer.start({ keepAliveTimeoutMs: 10 });
  const answer = textResponse(Array.from({ length: 200 }, (_, index) => `w${index} `));
  let requests = 0;
  server.setHandler(() => {
    requests += 1;
    // Recorded requests are not needed here: forgetting them keeps this process's memory flat over the rounds.
    server.requests.length = 0;
    return { kind: 'stream', events: answer, stallAfter: 20 };
  });
  const counts = (): ServerCounts => ({ baseURL: server.baseURL, requests, activeReplies: server.activeReplies, openSockets: server.openSockets });
  process.on('message', () => process.send!(counts()));
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
  process.send!(counts());
}

void main();
