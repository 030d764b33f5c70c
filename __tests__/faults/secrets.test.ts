import OpenAI from 'openai';
import { LLMContext, LLMContextFrame, LLMUpdateSettingsFrame, OpenAIResponsesLLMService, type Frame, type OpenAIResponsesLLMServiceOptions } from '../../src';
import { FakeResponsesServer, functionCallResponse, ResponseScript, type FakeReply } from '../../src/testing';
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

  it.each(leaks)('%s (frames, exceptions, events and logs)', async (_name, reply) => {
    server.enqueue(reply);
    const logger = recordingLogger();
    const llm = new OpenAIResponsesLLMService({ apiKey: KEY, baseURL: server.baseURL, maxRetries: 0, logger });
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

/** A key with no `sk-` shape (as Azure's are): only redaction by the configured credentials can hide it. */
const AZURE_KEY = '0f3c9d1e2b4a5968PLAINKEY7766554433';

describe('every credential the service or its client carries never shows', () => {
  const configurations: [string, () => OpenAIResponsesLLMServiceOptions][] = [
    ['a custom client\'s key', () => ({ client: new OpenAI({ apiKey: AZURE_KEY, baseURL: server.baseURL, maxRetries: 0 }) })],
    ['an api-key header (Azure)', () => ({ apiKey: 'unused-key', baseURL: server.baseURL, maxRetries: 0, defaultHeaders: { 'api-key': AZURE_KEY } })],
    ['a Bearer token in an Authorization header', () => ({ apiKey: 'unused-key', baseURL: server.baseURL, maxRetries: 0, defaultHeaders: { Authorization: `Bearer ${AZURE_KEY}` } })],
    ['the apiKey option', () => ({ apiKey: AZURE_KEY, baseURL: server.baseURL, maxRetries: 0 })],
  ];
  const echoes: [string, FakeReply][] = [
    ['a 401 echoing it', { kind: 'http-error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${AZURE_KEY}.` }],
    ['an error code holding it', { kind: 'stream', events: new ResponseScript().error('rejected', `bad_key_${AZURE_KEY}`) }],
    ['incomplete_details.reason holding it', { kind: 'stream', events: new ResponseScript().text('x').incomplete(`key ${AZURE_KEY}` as never) }],
  ];

  it.each(configurations.flatMap(([where, options]) => echoes.map(([echo, reply]) => [`${where}, ${echo}`, options, reply] as const)))('%s', async (_name, options, reply) => {
    server.enqueue(reply);
    const logger = recordingLogger();
    const harness = new OperatorHarness(new OpenAIResponsesLLMService({ logger, ...options() }));
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(harness.errorMessages()).toHaveLength(1);
    const seen = everythingSeen(harness.output, [], logger.lines, []);
    expect(seen).not.toContain('PLAINKEY');
    expect(seen).toContain('[redacted]');
    harness.stop();
  });

  it('a handler error quoting the key reaches neither the frames nor the model', async () => {
    server.enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'lookup', arguments: {}, callId: 'call_1' }]) });
    const llm = new OpenAIResponsesLLMService({ apiKey: AZURE_KEY, baseURL: server.baseURL, maxRetries: 0, logger: recordingLogger() });
    llm.registerFunction('lookup', () => {
      throw new Error(`upstream refused key ${AZURE_KEY}`);
    });
    const context = new LLMContext([{ role: 'user', content: 'look it up' }]);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(2);
    const result = harness.output.find((frame) => frame.type === 'FunctionCallResultFrame');
    expect(result).toMatchObject({ result: { error: 'The function "lookup" failed and returned no result.' } });
    // The ErrorFrame says what failed, cleaned; the model reads none of the exception's text.
    expect(harness.errorMessages()).toEqual(['Function "lookup" failed: upstream refused key [redacted]']);
    expect(everythingSeen(harness.output, [], [], [])).not.toContain('PLAINKEY');
    expect(JSON.stringify(server.requests[1]?.body)).not.toContain('PLAINKEY');
    expect(JSON.stringify(server.requests[1]?.body)).not.toContain('upstream refused key');
    expect(JSON.stringify(context.messages)).not.toContain('PLAINKEY');
    harness.stop();
  });

  it('a handler result quoting the key is cleaned too, in the frame and in what the model reads', async () => {
    server.enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'whoami', arguments: {}, callId: 'call_2' }]) });
    const llm = new OpenAIResponsesLLMService({ apiKey: AZURE_KEY, baseURL: server.baseURL, maxRetries: 0, logger: recordingLogger() });
    llm.registerFunction('whoami', () => ({ key: AZURE_KEY, user: 'ann' }));
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(harness.output.find((frame) => frame.type === 'FunctionCallResultFrame')).toMatchObject({ result: { key: '[redacted]', user: 'ann' } });
    expect(JSON.stringify(server.requests[1]?.body)).not.toContain('PLAINKEY');
    harness.stop();
  });
});
