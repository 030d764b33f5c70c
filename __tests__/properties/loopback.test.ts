/**
 * Property over real sockets: for random interleavings of contexts, interruptions, settings frames, failing replies and
 * an unsubscribe, Start/End balance, the output never errors, the next context works, and the server ends with no
 * reply in progress and no open socket.
 */
import fc from 'fast-check';
import { InterruptionFrame, LLMContext, LLMContextFrame, LLMUpdateSettingsFrame, OpenAIResponsesLLMService, type Frame } from '../../src';
import { FakeResponsesServer, ResponseScript, textResponse, type FakeReply, type RecordedRequest } from '../../src/testing';
import { OperatorHarness, recordingLogger } from '../support/harness';

const KINDS = ['ok', 'slow', 'stall', 'drop', 'http500', 'errorEvent'] as const;
type Kind = (typeof KINDS)[number];

/** The reply a request asked for: its last user message names it. */
function replyFor(request: RecordedRequest): FakeReply {
  const input = (request.body?.input ?? []) as { role?: string; content?: unknown }[];
  const kind = [...input].reverse().find((item) => item.role === 'user')?.content as Kind | undefined;
  switch (kind) {
    case 'slow':
      return { kind: 'stream', events: textResponse(['s', 'l', 'o', 'w']), eventDelayMs: 3 };
    case 'stall':
      return { kind: 'stall' };
    case 'drop':
      return { kind: 'stream', events: textResponse(['a', 'b', 'c']), dropAfter: 4 };
    case 'http500':
      return { kind: 'http-error', status: 500, message: 'busy', headers: { 'retry-after-ms': '1' } };
    case 'errorEvent':
      return { kind: 'stream', events: new ResponseScript().text('half').error('Overloaded') };
    default:
      return { kind: 'stream', events: textResponse('OK') };
  }
}

const step = fc.record({
  action: fc.constantFrom('context', 'context', 'interrupt', 'settings'),
  kind: fc.constantFrom(...KINDS),
  waitMs: fc.integer({ min: 0, max: 8 }),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('random interleavings over loopback', () => {
  let server: FakeResponsesServer;
  beforeAll(async () => {
    server = await FakeResponsesServer.start({ keepAliveTimeoutMs: 20, fallback: replyFor });
  });
  afterAll(async () => {
    await server.close();
  });

  it('balance, no error, a working next context, and no socket left open', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), fc.boolean(), async (steps, unsubscribeMidway) => {
        const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-property-0123456789', baseURL: server.baseURL, maxRetries: 1, completionTimeoutMs: 150, logger: recordingLogger() });
        let harness = new OperatorHarness(llm);
        for (const [index, { action, kind, waitMs }] of steps.entries()) {
          if (unsubscribeMidway && index === Math.floor(steps.length / 2)) {
            harness.stop();
            harness = new OperatorHarness(llm);
          }
          const frame: Frame =
            action === 'context'
              ? new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: kind }]) })
              : action === 'interrupt'
                ? new InterruptionFrame()
                : new LLMUpdateSettingsFrame({ delta: { temperature: 0.3 } });
          harness.send(frame);
          await sleep(waitMs);
        }
        const ends = harness.count('LLMFullResponseEndFrame');
        harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'ok' }]) }));
        await harness.waitFor(() => harness.output.at(-1)?.type === 'LLMFullResponseEndFrame' && harness.count('LLMFullResponseEndFrame') > ends, 5000);
        expect(harness.errors).toEqual([]);
        expect(harness.completed).toBe(false);
        expect(harness.count('LLMFullResponseStartFrame')).toBe(harness.count('LLMFullResponseEndFrame'));
        const lastStart = harness.types().lastIndexOf('LLMFullResponseStartFrame');
        expect(harness.output.slice(lastStart).some((frame) => frame.type === 'LLMTextFrame' && frame.text === 'OK')).toBe(true);
        harness.stop();
        await server.waitFor(() => server.activeReplies === 0 && server.openSockets === 0, 3000).catch((error: unknown) => {
          throw new Error(`${String(error)}: active ${server.activeReplies}, sockets ${server.openSockets}, steps ${JSON.stringify(steps)}`);
        });
      }),
      { numRuns: 15 },
    );
  });
});
