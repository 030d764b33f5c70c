import { LLMContext, LLMUpdateSettingsFrame, OpenAIResponsesLLMService, type Frame } from '../../src';
import { FakeResponsesServer, ResponseScript, type FakeReply } from '../../src/testing';
import { OperatorHarness, recordingLogger } from '../support/harness';
import { ask } from './support';

const KEY = 'sk-proj-RECOGNISABLE0secret0KEY0abc123XYZ';
const MASKED = 'sk-proj-********************************3XYZ';

let server: FakeResponsesServer;
beforeEach(async () => {
  server = await FakeResponsesServer.start();
});
afterEach(async () => {
  await server.close();
});

/** Everything a user can see: frames (with their typed errors), events, log lines, thrown errors. */
function everythingSeen(frames: readonly Frame[], events: unknown[], logs: string[], thrown: unknown[]): string {
  const exceptions = frames.flatMap((frame) => (frame.type === 'ErrorFrame' && frame.exception ? [frame.exception.message, frame.exception.stack ?? '', JSON.stringify(frame.exception)] : []));
  const errors = thrown.map((error) => (error instanceof Error ? `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)}` : String(error)));
  return [JSON.stringify(frames), ...exceptions, JSON.stringify(events), ...logs, ...errors].join('\n');
}

describe('the API key never shows', () => {
  const leaks: [string, FakeReply][] = [
    ['a 401 that echoes the whole key', { kind: 'http-error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${KEY}.` }],
    ['a 401 that echoes it masked', { kind: 'http-error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${MASKED}. You can find your API key at ...` }],
    ['an error event quoting it', { kind: 'stream', events: new ResponseScript().error(`bad key ${KEY}`, 'invalid_api_key') }],
    ['response.failed quoting it', { kind: 'stream', events: new ResponseScript().failed(`key ${KEY} rejected`) }],
    ['malformed data holding it', { kind: 'raw', chunks: [`event: response.created\ndata: {"oops": "${KEY}"\n\n`] }],
  ];

  it.each(leaks)('%s (both stream readers, frames, exceptions, events and logs)', async (_name, reply) => {
    for (const streamReader of ['eventsource-parser', 'sdk'] as const) {
      server.enqueue(reply);
      const logger = recordingLogger();
      const llm = new OpenAIResponsesLLMService({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logger, streamReader });
      const events: unknown[] = [];
      llm.events$.subscribe((event) => events.push({ name: event.name, args: event.args }));
      const harness = new OperatorHarness(llm);
      harness.send(ask());
      await harness.waitForEnds(1);
      expect(harness.errorMessages()).toHaveLength(1);
      const seen = everythingSeen(harness.output, events, logger.lines, []);
      expect(seen).not.toContain(KEY);
      expect(seen).not.toContain('RECOGNISABLE');
      expect(seen).not.toContain('3XYZ');
      harness.stop();
    }
  });

  it('runInference rejections and the key-less error carry no key', async () => {
    server.enqueue({ kind: 'http-error', status: 401, message: `Incorrect API key provided: ${KEY}` });
    const logger = recordingLogger();
    const llm = new OpenAIResponsesLLMService({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logger });
    const thrown: unknown[] = [];
    await llm.runInference(new LLMContext([{ role: 'user', content: 'x' }])).catch((error: unknown) => thrown.push(error));
    expect(thrown).toHaveLength(1);
    expect(everythingSeen([], [], logger.lines, thrown)).not.toContain('RECOGNISABLE');
  });

  it('a settings error frame and the ineffective-settings warning carry no key', async () => {
    const logger = recordingLogger();
    const llm = new OpenAIResponsesLLMService({ apiKey: KEY, baseURL: server.baseURL, logger, settings: { seed: 1 } });
    const harness = new OperatorHarness(llm);
    harness.send(new LLMUpdateSettingsFrame({ delta: { temperature: KEY } as never }));
    expect(harness.errorMessages()).toHaveLength(1);
    expect(logger.lines).toHaveLength(1);
    expect(everythingSeen(harness.output, [], logger.lines, [])).not.toContain('RECOGNISABLE');
  });

  it('the request really carries the key (so the tests above are not vacuous)', async () => {
    const llm = new OpenAIResponsesLLMService({ apiKey: KEY, baseURL: server.baseURL, logger: recordingLogger() });
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});
