/**
 * What the live Responses API sends (as ../shared/wire-fixtures recorded it), played by the fake server, and what the
 * pipeline must make of it. Each case pins a defect found by replaying the recordings.
 */
import {
  LLMContext,
  LLMContextFrame,
  LLMIncompleteError,
  LLMStreamError,
  type Frame,
  type HostedToolCallFrame,
  type LLMTextFrame,
  type MetricsFrame,
} from '../../src';
import { FakeResponsesServer, recordingOpenStream, ResponseScript, textResponse, type Recording } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';
import OpenAI from 'openai';

const fake = useFakeServer('sk-live-shapes-0123456789');
const ask = (text = 'Hi') => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });
const metricKinds = (frames: readonly Frame[]) => frames.flatMap((frame) => (frame.type === 'MetricsFrame' ? (frame as MetricsFrame).data.map((data) => data.kind) : []));

describe('live shapes', () => {
  const service = (options = {}) => fake.service(options);

  async function run(events: readonly object[] | { kind: 'stream'; events: readonly object[]; stallAfter?: number }, context = new LLMContext([{ role: 'user', content: 'Hi' }])) {
    const reply = Array.isArray(events) ? { kind: 'stream' as const, events } : events;
    fake.server().enqueue(reply as never);
    const harness = new OperatorHarness(service());
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    return harness;
  }

  it('a nested error event: the server message and code reach the ErrorFrame, and the response.failed after it adds none', async () => {
    const failed = new ResponseScript().failed('You exceeded your current quota', 'insufficient_quota' as never).at(-1)!;
    const events = [...new ResponseScript().error('You exceeded your current quota', 'insufficient_quota'), failed];
    const harness = await run(events);
    expect(harness.errorMessages()).toEqual(['LLM stream error: You exceeded your current quota']);
    const error = harness.output.find((frame) => frame.type === 'ErrorFrame');
    expect(error?.type === 'ErrorFrame' && error.exception).toBeInstanceOf(LLMStreamError);
    expect(error?.type === 'ErrorFrame' && (error.exception as LLMStreamError).code).toBe('insufficient_quota');
    harness.stop();
  });

  it('a flat error event (the shape the openai types describe) reads the same', async () => {
    const harness = await run(new ResponseScript().error('Overloaded', 'server_error', { flat: true }));
    expect(harness.errorMessages()).toEqual(['LLM stream error: Overloaded']);
    harness.stop();
  });

  it('a refusal streams as text (it is the answer) and ends with an LLMRefusalFrame', async () => {
    const harness = await run(new ResponseScript().refusal(["I'm sorry, ", "I can't help with that."]).completed());
    expect(harness.text()).toBe("I'm sorry, I can't help with that.");
    const refusals = harness.output.filter((frame) => frame.type === 'LLMRefusalFrame');
    expect(refusals).toEqual([expect.objectContaining({ text: "I'm sorry, I can't help with that." })]);
    expect(harness.types().indexOf('LLMRefusalFrame')).toBeGreaterThan(harness.types().lastIndexOf('LLMTextFrame'));
    expect(harness.errorMessages()).toEqual([]);
    harness.stop();
  });

  it('citations become LLMAnnotationFrames; a hosted tool becomes HostedToolCallFrames as it starts, progresses and finishes', async () => {
    const citation = { type: 'url_citation', url: 'https://example.org/paris', title: 'Paris', start_index: 0, end_index: 5 };
    const events = new ResponseScript()
      .hostedTool('web_search_call', { progress: ['searching'], item: { action: { type: 'search', query: 'capital of France' } } })
      .text(['Paris', ' it is.'], { annotations: [citation] })
      .completed();
    const harness = await run(events);
    const hosted = harness.output.filter((frame): frame is HostedToolCallFrame => frame.type === 'HostedToolCallFrame');
    expect(hosted.map((frame) => [frame.tool, frame.status])).toEqual([
      ['web_search_call', 'in_progress'],
      ['web_search_call', 'searching'],
      ['web_search_call', 'completed'],
    ]);
    expect(hosted[2]?.item).toMatchObject({ type: 'web_search_call', action: { query: 'capital of France' } });
    expect(new Set(hosted.map((frame) => frame.itemId)).size).toBe(1);
    expect(harness.output.filter((frame) => frame.type === 'LLMAnnotationFrame')).toEqual([expect.objectContaining({ annotation: citation })]);
    // The search is not the answer: TTFB stops at the tool's first event, TTFAT only at the first text.
    const types = harness.types();
    expect(metricKinds(harness.output).slice(0, 2)).toEqual(['ttfb', 'ttfat']);
    expect(types.indexOf('HostedToolCallFrame')).toBeLessThan(types.lastIndexOf('MetricsFrame', types.indexOf('LLMTextFrame')));
    harness.stop();
  });

  it('a tool-only answer gets its TTFAT at its first function call, once; the follow-up gets its own at its text', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: new ResponseScript().reasoning(['thinking'], 'enc').functionCall({ name: 'a', arguments: {} }).functionCall({ name: 'b', arguments: {} }).completed() },
      { kind: 'stream', events: textResponse('Both done.') },
    );
    const llm = service();
    llm.registerFunction(null, () => 'ok');
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    const firstEnd = harness.output.findIndex((frame) => frame.type === 'LLMFullResponseEndFrame');
    expect(metricKinds(harness.output.slice(0, firstEnd))).toEqual(['ttfb', 'ttfat', 'usage', 'processing']);
    // After the thought, not before: reasoning is not the answer.
    const ttfat = harness.output.findIndex((frame) => frame.type === 'MetricsFrame' && frame.data.some((data) => data.kind === 'ttfat'));
    expect(harness.types().indexOf('LLMThoughtEndFrame')).toBeLessThan(ttfat);
    expect(metricKinds(harness.output.slice(firstEnd + 1)).filter((kind) => kind === 'ttfat')).toHaveLength(1);
    harness.stop();
  });

  it('a function call cut off by max_output_tokens is not run and starts no follow-up; the ErrorFrame says why', async () => {
    const events = new ResponseScript()
      .functionCall({ name: 'run_sql', arguments: '{"query": "SELECT * FROM us', callId: 'call_cut', status: 'incomplete' })
      .incomplete('max_output_tokens');
    fake.server().enqueue({ kind: 'stream', events });
    const llm = service();
    const handler = jest.fn(() => 'rows');
    llm.registerFunction('run_sql', handler);
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(handler).not.toHaveBeenCalled();
    expect(harness.count('FunctionCallsStartedFrame')).toBe(0);
    expect(harness.errorMessages()).toEqual(['LLM response incomplete: max_output_tokens (function call "run_sql" not run)']);
    expect(harness.output.find((frame) => frame.type === 'ErrorFrame')).toMatchObject({ exception: expect.any(LLMIncompleteError) });
    expect(fake.server().requests).toHaveLength(1);
    harness.stop();
  });

  it('a completed call in a response that then failed is not run either', async () => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().functionCall({ name: 'book', arguments: { seat: '4A' } }).failed('Model crashed') });
    const llm = service();
    const handler = jest.fn(() => 'booked');
    llm.registerFunction('book', handler);
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(1);
    expect(handler).not.toHaveBeenCalled();
    expect(harness.errorMessages()).toEqual(['LLM response failed: Model crashed (function call "book" not run)']);
    expect(fake.server().requests).toHaveLength(1);
    harness.stop();
  });

  it('a response ends at its terminal event even when the connection stays open: End, usage and calls go out, the request is released', async () => {
    const events = new ResponseScript().functionCall({ name: 'lookup', arguments: {}, callId: 'call_open' }).completed({ inputTokens: 5, outputTokens: 3 });
    // The proxy keeps the connection open after response.completed.
    fake.server().enqueue({ kind: 'stream', events, stallAfter: events.length }, { kind: 'stream', events: textResponse('Found it.') });
    const llm = service({ streamStallTimeoutMs: 60_000 });
    llm.registerFunction('lookup', () => 'result');
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('Found it.');
    expect(metricKinds(harness.output)).toContain('usage');
    expect(harness.errorMessages()).toEqual([]);
    await fake.server().waitFor(() => fake.server().abortedConnections === 1 && fake.server().activeReplies === 0);
    harness.stop();
  });

  it('text frames say the phase of their message where the model gives one', async () => {
    const harness = await run(new ResponseScript().text('Let me check.', { phase: 'commentary' }).text('It is Paris.', { phase: 'final_answer' }).text('Plain.').completed());
    const texts = harness.output.filter((frame): frame is LLMTextFrame => frame.type === 'LLMTextFrame');
    expect(texts.map((frame) => [frame.text, frame.phase])).toEqual([
      ['Let me check.', 'commentary'],
      ['It is Paris.', 'final_answer'],
      ['Plain.', undefined],
    ]);
    harness.stop();
  });

  it('usage counts cache-write tokens when the API reports them', async () => {
    const events = textResponse('Hi', { inputTokens: 63, outputTokens: 2 });
    const completed = events.at(-1) as unknown as { response: { usage: { input_tokens_details: Record<string, number> } } };
    completed.response.usage.input_tokens_details = { cached_tokens: 10, cache_write_tokens: 40 };
    const harness = await run(events);
    const usage = harness.output.flatMap((frame) => (frame.type === 'MetricsFrame' ? frame.data : [])).find((data) => data.kind === 'usage');
    expect(usage?.value).toMatchObject({ cacheReadInputTokens: 10, cacheCreationInputTokens: 40 });
    harness.stop();
  });

  it('response.queued (background mode) is preamble: it does not stop the TTFB clock', async () => {
    const harness = await run(new ResponseScript({ queued: true }).text('Later.').completed());
    expect(harness.text()).toBe('Later.');
    expect(harness.types().slice(0, 3)).toEqual(['LLMFullResponseStartFrame', 'MetricsFrame', 'MetricsFrame']);
    expect(harness.types()[3]).toBe('LLMTextFrame');
    harness.stop();
  });
});

describe('requests as the live API accepts them', () => {
  const requestFor = async (model: string, context: LLMContext) => {
    const harness = new OperatorHarness(fake.service({ settings: { model }, logger: recordingLogger() }));
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(1);
    harness.stop();
    return fake.server().requests.at(-1)!.body!;
  };

  it('reasoning items go back only with their encrypted content (store: false keeps nothing on the server)', async () => {
    const context = new LLMContext([
      { role: 'user', content: 'Q1' },
      {
        role: 'assistant',
        content: 'A1',
        reasoning: [
          { type: 'reasoning', id: 'rs_plain', summary: [], encrypted_content: null },
          { type: 'reasoning', id: 'rs_sealed', summary: [], encrypted_content: 'gAAAA-sealed' },
        ],
      },
      { role: 'user', content: 'Q2' },
    ]);
    const body = await requestFor('gpt-5', context);
    const reasoning = (body.input as { type?: string; id?: string }[]).filter((item) => item.type === 'reasoning');
    expect(reasoning.map((item) => item.id)).toEqual(['rs_sealed']);
  });

  it.each([
    ['gpt-5-chat-latest', false],
    ['gpt-5.1-chat-latest', false],
    ['my-azure-deployment', false],
    ['gpt-4.1', false],
    ['gpt-5-mini', true],
    ['o4-mini', true],
  ])('%s gets reasoning defaults: %s', async (model, reasons) => {
    const body = await requestFor(model, new LLMContext([{ role: 'user', content: 'Hi' }]));
    expect('reasoning' in body).toBe(reasons);
    expect('include' in body).toBe(reasons);
  });

  it('hosted tools are declared beside function tools and sent as they are', async () => {
    const tools = [
      { type: 'web_search' as const },
      { type: 'file_search' as const, vector_store_ids: ['vs_1'] },
      { type: 'function' as const, name: 'get_time', parameters: { type: 'object', properties: {} } },
    ];
    const body = await requestFor('gpt-4.1', new LLMContext([{ role: 'user', content: 'Hi' }], tools));
    expect(body.tools).toEqual([{ type: 'web_search' }, { type: 'file_search', vector_store_ids: ['vs_1'] }, expect.objectContaining({ type: 'function', name: 'get_time' })]);
  });

  it('an unknown tool type is an ErrorFrame naming the field and the allowed types', async () => {
    const harness = new OperatorHarness(fake.service());
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }], [{ type: 'teleport' } as never]) }));
    await harness.waitForEnds(1);
    expect(harness.errorMessages()[0]).toMatch(/^Invalid context at tools\[0\]\.type: unknown tool type "teleport"; allowed: function, web_search, /);
    harness.stop();
  });
});

describe('testing against a recording', () => {
  it('recordingOpenStream saves the body as sent, and the fake server serves it back as it is: the same frames', async () => {
    const live = await FakeResponsesServer.start({ replies: [{ kind: 'stream', events: new ResponseScript().text(['Bonjour', ' à tous']).completed({ inputTokens: 4, outputTokens: 3 }) }] });
    const recordings: Recording[] = [];
    const client = new OpenAI({ apiKey: 'sk-recording-0123456789', baseURL: live.baseURL, maxRetries: 0 });
    const recording = new OperatorHarness(fake.service({ openStream: recordingOpenStream({ client, onRecord: (entry) => recordings.push(entry) }) }));
    try {
      recording.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Salut' }]) }));
      await recording.waitForEnds(1);
      await live.waitFor(() => recordings.length === 1);
    } finally {
      await live.close();
    }
    expect(recordings[0]!.request.input).toEqual([{ type: 'message', role: 'user', content: 'Salut' }]);
    expect(recordings[0]!.body).toMatch(/^event: response.created\ndata: /);

    fake.server().enqueue({ kind: 'sse', body: recordings[0]!.body, chunkBytes: 5 });
    const replay = new OperatorHarness(fake.service());
    replay.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Salut' }]) }));
    await replay.waitForEnds(1);
    expect(replay.text()).toBe('Bonjour à tous');
    expect(replay.types()).toEqual(recording.types());
    recording.stop();
    replay.stop();
  });
});
