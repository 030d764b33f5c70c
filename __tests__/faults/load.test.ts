import { filter, firstValueFrom, Subject } from 'rxjs';
import { InterruptionFrame, OpenAIResponsesLLMService, type Frame } from '../../src';
import { FakeResponsesServer, textResponse, type FakeReply } from '../../src/testing';
import { OperatorHarness, recordingLogger } from '../support/harness';
import { ask } from './support';

let server: FakeResponsesServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(async () => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
  // Idle keep-alive sockets close after 50 ms, so "0 sockets open" can be checked, not just "0 replies streaming".
  server = await FakeResponsesServer.start({ keepAliveTimeoutMs: 50 });
});
afterEach(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});

const service = () => new OpenAIResponsesLLMService({ apiKey: 'sk-load-test', baseURL: server.baseURL, maxRetries: 0, logger: recordingLogger() });

describe('load', () => {
  it('1,000 interruption cycles on one pipeline: every request aborted, 0 sockets left open, no unhandled rejections', async () => {
    server.setHandler(() => ({ kind: 'stream', events: textResponse(['a', 'b', 'c']), stallAfter: 5 }));
    const llm = service();
    const input = new Subject<Frame>();
    const output: Frame[] = [];
    const output$ = new Subject<Frame>();
    const subscription = input.pipe(llm.operator()).subscribe((frame) => {
      output.push(frame);
      output$.next(frame);
    });
    for (let cycle = 0; cycle < 1000; cycle++) {
      const firstText = firstValueFrom(output$.pipe(filter((frame) => frame.type === 'LLMTextFrame')));
      input.next(ask(`cycle ${cycle}`));
      await firstText;
      input.next(new InterruptionFrame());
    }
    await server.waitFor(() => server.abortedConnections === 1000, 10_000).catch(() => {
      throw new Error(`aborted ${server.abortedConnections}, active ${server.activeReplies}, sockets ${server.openSockets}, requests ${server.requests.length}`);
    });
    await server.waitFor(() => server.activeReplies === 0 && server.openSockets === 0, 10_000).catch(() => {
      throw new Error(`active ${server.activeReplies}, sockets ${server.openSockets}`);
    });
    const count = (type: string) => output.filter((frame) => frame.type === type).length;
    expect(server.requests).toHaveLength(1000);
    expect(count('LLMFullResponseStartFrame')).toBe(1000);
    expect(count('LLMFullResponseEndFrame')).toBe(1000);
    expect(count('InterruptionFrame')).toBe(1000);
    expect(count('ErrorFrame')).toBe(0);
    expect(unhandled).toEqual([]);
    subscription.unsubscribe();
  }, 60_000);

  it('200 concurrent pipelines on one server: an ErrorFrame for each failure, every answer for the rest, nothing left open', async () => {
    // Reply by the request's user text: pipeline i gets an HTTP 500, a mid-stream drop, or a paced answer.
    server.setHandler((request): FakeReply => {
      const index = Number(/pipeline (\d+)/.exec(JSON.stringify(request.body?.input))?.[1]);
      if (index % 5 === 0) return { kind: 'http-error', status: 500, message: 'boom' };
      if (index % 5 === 1) return { kind: 'stream', events: textResponse(['x', 'y', 'z']), dropAfter: 5 };
      return { kind: 'stream', events: textResponse([`answer `, `${index}`]), eventDelayMs: 2 };
    });
    const llm = service();
    const harnesses = Array.from({ length: 200 }, () => new OperatorHarness(llm));
    harnesses.forEach((harness, index) => harness.send(ask(`pipeline ${index}`)));
    await Promise.all(harnesses.map((harness) => harness.waitForEnds(1)));
    harnesses.forEach((harness, index) => {
      const errors = harness.errorMessages();
      if (index % 5 === 0) expect(errors).toEqual(['LLM request failed with HTTP 500: boom']);
      else if (index % 5 === 1) expect(errors).toEqual([expect.stringMatching(/^LLM stream error: connection dropped/)]);
      else {
        expect(errors).toEqual([]);
        expect(harness.text()).toBe(`answer ${index}`);
      }
      expect(harness.count('LLMFullResponseEndFrame')).toBe(1);
      expect(harness.errors).toEqual([]);
    });
    const allErrors = harnesses.reduce((sum, harness) => sum + harness.count('ErrorFrame'), 0);
    expect(allErrors).toBe(80);
    await server.waitFor(() => server.activeReplies === 0 && server.openSockets === 0, 10_000);
    expect(unhandled).toEqual([]);
    harnesses.forEach((harness) => harness.stop());
  }, 60_000);

  it('a service-level event stream sees one completionTimeout per timed-out pipeline', async () => {
    server.setHandler(() => ({ kind: 'stall' }));
    const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-load-test', baseURL: server.baseURL, maxRetries: 0, completionTimeoutMs: 50, logger: recordingLogger() });
    let timeouts = 0;
    llm.on('completionTimeout', () => timeouts++);
    const harnesses = Array.from({ length: 20 }, () => new OperatorHarness(llm));
    harnesses.forEach((harness) => harness.send(ask()));
    await Promise.all(harnesses.map((harness) => harness.waitForEnds(1)));
    expect(timeouts).toBe(20);
    await server.waitFor(() => server.abortedConnections === 20);
    harnesses.forEach((harness) => harness.stop());
  });
});
