/**
 * What a user pays on a real network is handshakes: a conversation must keep its connection, open it before the user
 * speaks when asked to, and still close it at once on a cancel. Counted at the fake server (no timing asserted).
 */
import { InterruptionFrame, LLMContext, LLMContextFrame, OpenAILLMService, OpenAIResponsesLLMService } from '../../src';
import { ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-connections-0123456789');
const ask = (text: string) => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });

/**
 * Ten turns of one conversation (one pipeline), each answered by a body whose end trails its terminal event by a few
 * milliseconds, as the live API's can; each next turn comes as soon as the answer's End is out.
 */
async function tenTurns(llm: OpenAIResponsesLLMService | OpenAILLMService): Promise<string> {
  const harness = new OperatorHarness(llm);
  for (let turn = 1; turn <= 10; turn++) {
    fake.server().enqueue({ kind: 'stream', events: textResponse(`answer ${turn} `), endDelayMs: 5 });
    harness.send(ask(`question ${turn}`));
    await harness.waitForEnds(turn);
  }
  await fake.server().waitFor(() => fake.server().activeReplies === 0);
  harness.stop();
  return harness.text();
}

describe('keeping the connection', () => {
  it('ten completed turns over HTTP open one connection: each body is read to its end, none is aborted', async () => {
    expect(await tenTurns(fake.service())).toBe(Array.from({ length: 10 }, (_, index) => `answer ${index + 1} `).join(''));
    expect(fake.server().requests).toHaveLength(10);
    expect(fake.server().abortedConnections).toBe(0);
    expect(fake.server().connectionsOpened).toBe(1);
  });

  it('the same with the Chat Completions service', async () => {
    const llm = new OpenAILLMService({ apiKey: 'sk-connections-0123456789', baseURL: fake.server().baseURL, maxRetries: 0, logger: recordingLogger() });
    expect(await tenTurns(llm)).toBe(Array.from({ length: 10 }, (_, index) => `answer ${index + 1} `).join(''));
    expect(fake.server().abortedConnections).toBe(0);
    expect(fake.server().connectionsOpened).toBe(1);
  });

  it('a function-call follow-up goes out on the connection of the response that asked for it', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: new ResponseScript().functionCall({ name: 'now', arguments: {} }).completed(), endDelayMs: 5 },
      { kind: 'stream', events: textResponse('Noon.'), endDelayMs: 5 },
    );
    const llm = fake.service();
    llm.registerFunction('now', () => '12:00');
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Time?' }], [{ type: 'function', name: 'now', parameters: { type: 'object', properties: {} } }]) }));
    await harness.waitForEnds(2);
    await fake.server().waitFor(() => fake.server().activeReplies === 0);
    expect(harness.text()).toBe('Noon.');
    expect(fake.server().connectionsOpened).toBe(1);
    expect(fake.server().abortedConnections).toBe(0);
    harness.stop();
  });

  it('an interruption still closes its socket at once, and the next turn opens a new one', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b', 'c']), stallAfter: 5 }, { kind: 'stream', events: textResponse('next'), endDelayMs: 5 });
    const harness = new OperatorHarness(fake.service());
    harness.send(ask('tell me a story'));
    await harness.waitFor(() => harness.count('LLMTextFrame') >= 1);
    harness.send(new InterruptionFrame());
    await fake.server().waitFor(() => fake.server().abortedConnections === 1, 1000);
    harness.send(ask('something else'));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('anext');
    // The aborted socket cannot serve the next turn: it pays a new connection (the cost of aborting over HTTP).
    expect(fake.server().connectionsOpened).toBeGreaterThanOrEqual(2);
    harness.stop();
  });

  it('a newer context cancels the response in flight the same way: its socket closes at once', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 5 });
    const harness = new OperatorHarness(fake.service());
    harness.send(ask('first'));
    await harness.waitFor(() => harness.count('LLMTextFrame') >= 1);
    harness.send(ask('second'));
    await fake.server().waitFor(() => fake.server().abortedConnections === 1, 1000);
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('aOK');
    harness.stop();
  });

  it('a server that keeps the body open after the terminal event gets its connection closed after a bounded wait', async () => {
    const events = textResponse('done');
    fake.server().enqueue({ kind: 'stream', events, stallAfter: events.length });
    const harness = new OperatorHarness(fake.service());
    harness.send(ask('hi'));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual([]);
    // The answer is complete at once; the connection is given up after a bounded wait (about 1 s), not kept forever.
    await fake.server().waitFor(() => fake.server().abortedConnections === 1 && fake.server().activeReplies === 0, 3000);
    harness.stop();
  });
});

describe('warming the connection up', () => {
  it('preconnect opens exactly one connection when the operator is subscribed, sends no billed request, and the first turn uses it', async () => {
    const harness = new OperatorHarness(fake.service({ preconnect: true }));
    // The first context comes at once: its request waits for the connection being opened rather than opening another.
    harness.send(ask('hi'));
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('OK');
    expect(fake.server().requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1', 'POST /v1/responses']);
    // No credential went with the warm-up.
    expect(fake.server().requests[0]!.headers.authorization).toBeUndefined();
    expect(fake.server().connectionsOpened).toBe(1);
    harness.stop();
  });

  it('warmUp() does the same on demand; without it, nothing is opened before the first request', async () => {
    const llm = fake.service();
    const harness = new OperatorHarness(llm);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.server().connectionsOpened).toBe(0);
    await llm.warmUp();
    expect(fake.server().connectionsOpened).toBe(1);
    expect(fake.server().requests.every((request) => request.method !== 'POST')).toBe(true);
    harness.stop();
  });

  it('over WebSocket, the warm-up opens the socket and sends nothing on it', async () => {
    const llm = fake.service({ transport: 'websocket' });
    await llm.warmUp();
    await fake.server().waitFor(() => fake.server().openWebSockets === 1);
    expect(fake.server().requests).toHaveLength(0);
    const harness = new OperatorHarness(llm);
    harness.send(ask('hi'));
    await harness.waitForEnds(1);
    expect(harness.text()).toBe('OK');
    expect(fake.server().webSocketConnections).toBe(1);
    harness.stop();
    llm.close();
  });

  it('a warm-up that cannot connect is quiet: it resolves, and the first turn fails as it would have', async () => {
    const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-connections-0123456789', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0, preconnect: true, logger: recordingLogger() });
    await expect(llm.warmUp()).resolves.toBeUndefined();
    const harness = new OperatorHarness(llm);
    harness.send(ask('hi'));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toEqual([expect.stringContaining('LLM connection failed')]);
    harness.stop();
  });
});
