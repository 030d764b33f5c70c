import {
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMContextFrame,
  OpenAIResponsesLLMService,
  TextFrame,
  type Frame,
  type OpenAIResponsesLLMServiceOptions,
} from '../../src';
import { createServer, type AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { functionCallResponse, ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-test-websocket');
const services: OpenAIResponsesLLMService[] = [];
afterEach(() => services.splice(0).forEach((service) => service.close()));

/**
 * The transport runs over two sockets: the SDK's `ResponsesWS` (Node's default, sends the key as a header) and a class
 * with the standard WebSocket API (what a browser uses; here `ws`'s, which has that API too).
 */
const SOCKETS = [
  { name: "the SDK's ResponsesWS", options: {}, sendsKey: true },
  { name: 'a standard WebSocket class', options: { webSocketClass: WebSocket }, sendsKey: false },
] as const;
let socket: (typeof SOCKETS)[number] = SOCKETS[0];

function wsService(options: OpenAIResponsesLLMServiceOptions = {}) {
  const service = fake.service({ transport: 'websocket', ...socket.options, ...options });
  services.push(service);
  return service;
}

/** A conversation harness: the aggregator pair around the service, fed with typed text. */
function conversation(llm: OpenAIResponsesLLMService, context = new LLMContext()) {
  const pair = new LLMContextAggregatorPair(context);
  const harness = new OperatorHarness(llm);
  const assistant: Frame[] = [];
  harness.input.pipe(pair.user(), llm.operator(), pair.assistant()).subscribe((frame) => assistant.push(frame));
  harness.stop();
  const ends = () => assistant.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length;
  return {
    pair,
    frames: assistant,
    say: (text: string) => harness.input.next(new TextFrame({ text })),
    send: (frame: Frame) => harness.input.next(frame),
    waitForEnds: (count: number) => fake.server().waitFor(() => ends() >= count),
  };
}

const wsRequests = () => fake.server().requests.filter((request) => request.method === 'WS');

const DROPPED = /^LLM stream error: connection dropped \(WebSocket closed/;

describe.each(SOCKETS)('over $name', (kind) => {
  beforeAll(() => {
    socket = kind;
  });
  describe('the WebSocket transport', () => {
    it('produces the same frames as HTTP for the same script', async () => {
      const script = new ResponseScript({ model: 'gpt-4.1' }).text(['Same ', 'frames']).completed({ inputTokens: 4, outputTokens: 2 });
      const describeAll = (frames: Frame[]) =>
        frames.map((frame) => (frame.type === 'LLMTextFrame' ? `text:${frame.text}` : frame.type === 'MetricsFrame' ? `metrics:${frame.data.map((data) => data.kind)}` : frame.type));
      fake.server().enqueue({ kind: 'stream', events: script }, { kind: 'stream', events: script });
      const overHttp = new OperatorHarness(fake.service());
      overHttp.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
      await overHttp.waitForEnds(1);
      const overWs = new OperatorHarness(wsService());
      overWs.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
      await overWs.waitForEnds(1);
      expect(describeAll(overWs.output)).toEqual(describeAll(overHttp.output));
      expect(wsRequests()).toHaveLength(1);
      expect(wsRequests()[0]?.body).toMatchObject({ type: 'response.create', model: 'gpt-4.1', store: false, input: [{ type: 'message', role: 'user', content: 'Hi' }] });
      expect(wsRequests()[0]?.body?.stream).toBeUndefined();
      // A standard WebSocket cannot send headers: it carries no key (a proxy adds it).
      expect(wsRequests()[0]?.headers.authorization).toBe(socket.sendsKey ? 'Bearer sk-test-websocket' : undefined);
    });

    it('reuses one connection and sends only the new input with previous_response_id', async () => {
      const first = new ResponseScript({ id: 'resp_first' }).text('Hello!').completed();
      fake.server().enqueue({ kind: 'stream', events: first }, { kind: 'stream', events: textResponse('Fine.') });
      const chat = conversation(wsService());
      chat.say('Hi');
      await chat.waitForEnds(1);
      chat.say('How are you?');
      await chat.waitForEnds(2);
      expect(fake.server().webSocketConnections).toBe(1);
      expect(wsRequests()[1]?.body).toMatchObject({ previous_response_id: 'resp_first', input: [{ type: 'message', role: 'user', content: 'How are you?' }] });
      expect(chat.pair.context.messages.at(-1)).toEqual({ role: 'assistant', content: 'Fine.' });
    });

    it('chains a tool loop: the follow-up sends only the function outputs', async () => {
      fake.server().enqueue(
        { kind: 'stream', events: new ResponseScript({ id: 'resp_call' }).functionCall({ name: 'now', arguments: {}, callId: 'c1' }).completed() },
        { kind: 'stream', events: textResponse('Noon.') },
      );
      const llm = wsService();
      llm.registerFunction('now', () => '12:00');
      const chat = conversation(llm);
      chat.say('Time?');
      await chat.waitForEnds(2);
      expect(wsRequests()[1]?.body).toMatchObject({
        previous_response_id: 'resp_call',
        input: [{ type: 'function_call_output', call_id: 'c1', output: '12:00' }],
      });
    });

    it('falls back to the full input when the history changed', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('Hello!') }, { kind: 'stream', events: textResponse('Ok.') });
      const chat = conversation(wsService());
      chat.say('Hi');
      await chat.waitForEnds(1);
      chat.pair.context.setMessages([{ role: 'user', content: 'Start over' }]);
      chat.say('New topic');
      await chat.waitForEnds(2);
      expect(wsRequests()[1]?.body?.previous_response_id).toBeUndefined();
      expect(wsRequests()[1]?.body?.input).toEqual([
        { type: 'message', role: 'user', content: 'Start over' },
        { type: 'message', role: 'user', content: 'New topic' },
      ]);
    });

    it('falls back to the full input, invisibly, when the server says the previous response is unknown', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('Hello!') }, { kind: 'stream', events: textResponse('Still here.') });
      const chat = conversation(wsService());
      chat.say('Hi');
      await chat.waitForEnds(1);
      fake.server().forgetResponses();
      chat.say('Again');
      await chat.waitForEnds(2);
      expect(wsRequests().map((request) => [request.body?.previous_response_id ?? null, (request.body?.input as unknown[]).length])).toEqual([
        [null, 1],
        [expect.any(String), 1],
        [null, 3],
      ]);
      expect(chat.frames.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
      expect(chat.pair.context.messages.at(-1)).toEqual({ role: 'assistant', content: 'Still here.' });
    });

    it('reconnects after a dropped socket: the next turn opens a new connection and sends the full input', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('One.') }, { kind: 'stream', events: textResponse('Two.') });
      const chat = conversation(wsService());
      chat.say('First');
      await chat.waitForEnds(1);
      fake.server().dropWebSockets();
      await fake.server().waitFor(() => fake.server().openWebSockets === 0);
      chat.say('Second');
      await chat.waitForEnds(2);
      expect(fake.server().webSocketConnections).toBe(2);
      expect(wsRequests()[1]?.body?.previous_response_id).toBeUndefined();
      expect((wsRequests()[1]?.body?.input as unknown[]).length).toBe(3);
      expect(chat.pair.context.messages.at(-1)).toEqual({ role: 'assistant', content: 'Two.' });
    });

    it('a drop mid-response is an ErrorFrame, and the next context works on a new connection', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b', 'c']), dropAfter: 5 }, { kind: 'stream', events: textResponse('Back.') });
      const chat = conversation(wsService());
      chat.say('Hi');
      await chat.waitForEnds(1);
      const errors = chat.frames.flatMap((frame) => (frame.type === 'ErrorFrame' ? [frame.error] : []));
      expect(errors).toEqual([expect.stringMatching(/^LLM stream error: connection dropped/)]);
      chat.say('Again');
      await chat.waitForEnds(2);
      expect(chat.pair.context.messages.at(-1)).toEqual({ role: 'assistant', content: 'Back.' });
    });

    it('an interruption cancels the response: its remaining events are ignored, and the next answer races the drain on a new connection', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse(['one ', 'two ', 'three ', 'four']), eventDelayMs: 20 }, { kind: 'stream', events: textResponse('Next.') });
      const chat = conversation(wsService());
      chat.say('Count');
      await fake.server().waitFor(() => chat.frames.some((frame) => frame.type === 'LLMTextFrame'));
      chat.send(new InterruptionFrame());
      chat.say('Stop counting');
      await chat.waitForEnds(2);
      const texts = chat.frames.flatMap((frame) => (frame.type === 'LLMTextFrame' ? [frame.text] : []));
      expect(texts).toEqual(['one ', 'Next.']);
      expect(chat.pair.context.messages).toEqual([
        { role: 'user', content: 'Count' },
        { role: 'assistant', content: 'one ', status: 'incomplete', itemId: expect.stringMatching(/^msg_/) },
        { role: 'user', content: 'Stop counting' },
        { role: 'assistant', content: 'Next.' },
      ]);
      // On loopback the new connection opens long before the cancelled answer's last event: the request moves to it,
      // and the old socket is closed, so the server stops generating what nobody will read.
      expect(fake.server().webSocketConnections).toBe(2);
      await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    });

    it('a resend after an interruption does not wait for the drain timeout: it goes out as soon as a new connection is open', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 5 }, { kind: 'stream', events: textResponse('At once.') });
      // A minute of drain timeout: without the race, the resend would wait for it.
      const chat = conversation(wsService({ webSocketDrainTimeoutMs: 60_000, completionTimeoutMs: Infinity }));
      chat.say('Hang');
      await fake.server().waitFor(() => chat.frames.some((frame) => frame.type === 'LLMTextFrame'));
      chat.send(new InterruptionFrame());
      chat.say('Hello?');
      await chat.waitForEnds(2);
      expect(chat.frames.flatMap((frame) => (frame.type === 'LLMTextFrame' ? [frame.text] : []))).toEqual(['a', 'At once.']);
      expect(fake.server().webSocketConnections).toBe(2);
      // Sent with its full input: the new connection holds no chain.
      expect(wsRequests()[1]?.body?.previous_response_id).toBeUndefined();
    });

    it('a request stuck behind a cancelled response that never ends moves to a new connection', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 5 }, { kind: 'stream', events: textResponse('Fresh.') });
      const chat = conversation(wsService({ webSocketDrainTimeoutMs: 50 }));
      chat.say('Hang');
      await fake.server().waitFor(() => chat.frames.some((frame) => frame.type === 'LLMTextFrame'));
      chat.send(new InterruptionFrame());
      chat.say('Hello?');
      await chat.waitForEnds(2);
      expect(chat.frames.flatMap((frame) => (frame.type === 'LLMTextFrame' ? [frame.text] : []))).toEqual(['a', 'Fresh.']);
      expect(fake.server().webSocketConnections).toBe(2);
      await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    });

    it('close() clears a pending drain deadline, so no timer outlives the connection', async () => {
      const activeTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
      fake.server().enqueue({ kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 5 });
      // No first-output deadline: the only timer this test may see is the drain deadline.
      const llm = wsService({ webSocketDrainTimeoutMs: 60_000, completionTimeoutMs: Infinity });
      const chat = conversation(llm);
      chat.say('Hang');
      await fake.server().waitFor(() => chat.frames.some((frame) => frame.type === 'LLMTextFrame'));
      const baseline = activeTimers();
      chat.send(new InterruptionFrame());
      chat.say('Queued behind the cancelled one');
      expect(activeTimers()).toBe(baseline + 1);
      llm.close();
      // The ws library's close handshake holds a timer of its own until the server answers the close.
      await fake.server().waitFor(() => activeTimers() <= baseline, 2000);
    });

    it('runInference stays on HTTP', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('Paris.') });
      const answer = await wsService().runInference(new LLMContext([{ role: 'user', content: 'Capital of France?' }]));
      expect(answer).toBe('Paris.');
      expect(fake.server().requests[0]?.method).toBe('POST');
      expect(fake.server().webSocketConnections).toBe(0);
    });

    it('works with function calls over the same connection (the second request is on it too)', async () => {
      fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'f', arguments: {} }]) }, { kind: 'stream', events: textResponse('done') });
      const llm = wsService();
      llm.registerFunction('f', () => 'ok');
      const chat = conversation(llm);
      chat.say('go');
      await chat.waitForEnds(2);
      expect(wsRequests()).toHaveLength(2);
      expect(fake.server().webSocketConnections).toBe(1);
    });
  });

  describe('WebSocket resilience', () => {
    it('a connection dropped before any output reconnects and sends that request again, once, with the full input', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('First.') }, { kind: 'drop' }, { kind: 'stream', events: textResponse('Second.') });
      const llm = wsService({ webSocketReconnectDelayMs: 5 });
      const dropped: string[] = [];
      llm.on('connectionError', (_service, error) => void dropped.push(error.message));
      const chat = conversation(llm);
      chat.say('One');
      await chat.waitForEnds(1);
      chat.say('Two');
      await chat.waitForEnds(2);
      const texts = chat.frames.flatMap((frame) => (frame.type === 'LLMTextFrame' ? [frame.text] : []));
      expect(texts).toEqual(['First.', 'Second.']);
      expect(chat.frames.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
      expect(chat.frames.filter((frame) => frame.type === 'LLMFullResponseStartFrame')).toHaveLength(2);
      expect(dropped).toEqual([expect.stringMatching(DROPPED)]);
      expect(fake.server().webSocketConnections).toBe(2);
      const [, chained, resent] = fake.server().requests.map((request) => request.body!);
      expect(chained).toHaveProperty('previous_response_id');
      expect(resent).not.toHaveProperty('previous_response_id');
      expect((resent?.input as unknown[]).length).toBe(3);
    });

    it('a second drop of the same request fails it with an ErrorFrame; the next turn works', async () => {
      fake.server().enqueue({ kind: 'drop' }, { kind: 'drop' }, { kind: 'stream', events: textResponse('Back.') });
      const chat = conversation(wsService({ webSocketReconnectDelayMs: 5 }));
      chat.say('One');
      await chat.waitForEnds(1);
      expect(chat.frames.filter((frame) => frame.type === 'ErrorFrame').map((frame) => (frame as { error: string }).error)).toEqual([
        expect.stringMatching(DROPPED),
      ]);
      chat.say('Two');
      await chat.waitForEnds(2);
      expect(chat.frames.some((frame) => frame.type === 'LLMTextFrame' && frame.text === 'Back.')).toBe(true);
    });

    it('a connection past its age is replaced between responses, never during one', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('A.') }, { kind: 'stream', events: textResponse('B.'), eventDelayMs: 40 });
      const chat = conversation(wsService({ webSocketMaxAgeMs: 30 }));
      chat.say('One');
      await chat.waitForEnds(1);
      await new Promise((resolve) => setTimeout(resolve, 40));
      chat.say('Two');
      await chat.waitForEnds(2);
      // The second response took longer than the age limit: it was not cut; the replacement happened before it.
      expect(chat.frames.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
      expect(fake.server().webSocketConnections).toBe(2);
      await fake.server().waitFor(() => fake.server().openWebSockets === 1);
      expect(fake.server().requests[1]?.body).not.toHaveProperty('previous_response_id');
    });
  });

  describe('a WebSocket server that cannot be reached', () => {
    it('each context ends with an ErrorFrame naming the cause; nothing is thrown and the pipeline goes on', async () => {
      // A port nobody listens on: taken, then released.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      const llm = wsService({ baseURL: `http://127.0.0.1:${port}/v1`, webSocketReconnectDelayMs: 1 });
      const dropped: string[] = [];
      llm.on('connectionError', (_service, error) => void dropped.push(error.message));
      const harness = new OperatorHarness(llm);
      harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
      await harness.waitForEnds(1);
      harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Again' }]) }));
      await harness.waitForEnds(2);
      expect(harness.errorMessages()).toEqual([expect.stringMatching(/ECONNREFUSED/), expect.stringMatching(/ECONNREFUSED/)]);
      // Each request was tried again once on a new connection before it failed.
      expect(dropped).toHaveLength(4);
      expect(harness.errors).toEqual([]);
      harness.stop();
    });
  });

  describe('WebSocket resilience after close()', () => {
    it('a service used again after close() still reconnects after a drop before output', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('First.') }, { kind: 'drop' }, { kind: 'stream', events: textResponse('Again.') });
      const llm = wsService({ webSocketReconnectDelayMs: 5 });
      const chat = conversation(llm);
      chat.say('One');
      await chat.waitForEnds(1);
      llm.close();
      chat.say('Two');
      await chat.waitForEnds(2);
      expect(chat.frames.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
      expect(chat.frames.some((frame) => frame.type === 'LLMTextFrame' && frame.text === 'Again.')).toBe(true);
    });
  });
});
