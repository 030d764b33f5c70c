import { LLMContextAggregatorPair, OpenAIResponsesLLMService, pipeline, PipelineTask, TextFrame } from '../../src';
import { FakeResponsesServer, functionCallResponse, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger } from '../support/harness';
import { ask } from './support';

let server: FakeResponsesServer;
beforeEach(async () => {
  server = await FakeResponsesServer.start({ keepAliveTimeoutMs: 50 });
});
afterEach(async () => {
  await server.close();
});

/** Timers that keep the process alive right now. */
const activeTimers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('teardown: unsubscribing the pipeline stops everything', () => {
  it('aborts the stream, the handler and every timer in flight, and leaves no timer keeping the process alive', async () => {
    const baseline = activeTimers();
    server.enqueue(
      { kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 5 },
      { kind: 'stream', events: functionCallResponse([{ name: 'slow', arguments: {} }]) },
    );
    const options = { apiKey: 'sk-teardown', baseURL: server.baseURL, maxRetries: 0, logger: recordingLogger() };
    // A stream in flight with both completion timers armed.
    const streaming = new OperatorHarness(new OpenAIResponsesLLMService({ ...options, completionTimeoutMs: 60_000, streamStallTimeoutMs: 60_000 }));
    streaming.send(ask('stream'));
    await streaming.waitFor(() => streaming.count('LLMTextFrame') === 1);
    // A handler in flight with its timeout armed.
    const handlerLlm = new OpenAIResponsesLLMService({ ...options, functionCallTimeoutMs: 60_000 });
    let handlerSignal: AbortSignal | undefined;
    handlerLlm.registerFunction('slow', ({ signal }) => {
      handlerSignal = signal;
      return new Promise(() => {});
    });
    const calling = new OperatorHarness(handlerLlm);
    calling.send(ask('call'));
    await calling.waitFor(() => calling.count('FunctionCallInProgressFrame') === 1);
    expect(activeTimers()).toBeGreaterThan(baseline);

    streaming.stop();
    calling.stop();

    expect(handlerSignal?.aborted).toBe(true);
    await server.waitFor(() => server.abortedConnections === 1);
    await server.waitFor(() => server.activeReplies === 0 && server.openSockets === 0);
    await server.waitFor(() => activeTimers() <= baseline);
  });

  it('a PipelineTask cancel() does the same', async () => {
    server.enqueue({ kind: 'stall' });
    const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-teardown', baseURL: server.baseURL, completionTimeoutMs: 60_000, logger: recordingLogger() });
    const baseline = activeTimers();
    const task = new PipelineTask(pipeline(new LLMContextAggregatorPair().user(), llm.operator()));
    await task.queueFrame(new TextFrame({ text: 'hi' }));
    await server.waitFor(() => server.requests.length === 1);
    task.cancel();
    await server.waitFor(() => server.abortedConnections === 1);
    await server.waitFor(() => server.openSockets === 0);
    await server.waitFor(() => activeTimers() <= baseline);
  });
});
