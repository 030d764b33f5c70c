import { context, createContextKey, metrics, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LLMContext, LLMContextFrame } from '../../src';
import { functionCallResponse, ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-trace-0123456789');

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer('rx-responses-test') };
}

describe('tracing with OpenTelemetry', () => {
  it('the response span carries what the GenAI conventions ask: response id, finish reasons, the parameters sent, cached and reasoning tokens', async () => {
    const usage = { inputTokens: 40, outputTokens: 9, cachedTokens: 32, reasoningTokens: 5 };
    fake.server().enqueue(
      { kind: 'stream', events: new ResponseScript({ id: 'resp_trace_1' }).text('Hi.').completed(usage) },
      { kind: 'stream', events: new ResponseScript({ id: 'resp_trace_2' }).text('Cut').incomplete('max_output_tokens', usage) },
    );
    const { exporter, tracer } = tracing();
    const llm = fake.service({ tracer, settings: { model: 'gpt-4.1-mini', temperature: 0.3, topP: 0.9, maxCompletionTokens: 120 } });
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
    await harness.waitForEnds(1);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Again' }]) }));
    await harness.waitForEnds(2);
    const [first, second] = exporter.getFinishedSpans();
    expect(first!.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.id': 'resp_trace_1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 120,
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.usage.cache_read.input_tokens': 32,
      'gen_ai.usage.reasoning.output_tokens': 5,
    });
    expect(second!.attributes).toMatchObject({ 'gen_ai.response.id': 'resp_trace_2', 'gen_ai.response.finish_reasons': ['length'] });
    expect(fake.server().requests[0]?.body).toMatchObject({ temperature: 0.3, top_p: 0.9, max_output_tokens: 120 });
    harness.stop();
  });

  it('with a meter: gen_ai.client.operation.duration per response (error.type when it failed) and gen_ai.client.token.usage by token type', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: textResponse('Hi.', { inputTokens: 12, outputTokens: 3 }) },
      { kind: 'http-error', status: 400, message: 'Bad request' },
    );
    const recorded: { name: string; unit: string | undefined; value: number; attributes: Record<string, unknown> }[] = [];
    const meter = {
      createHistogram: (name: string, options?: { unit?: string }) => ({ record: (value: number, attributes: Record<string, unknown> = {}) => void recorded.push({ name, unit: options?.unit, value, attributes }) }),
    };
    // The API's own Meter fits the option too (its no-op one here).
    fake.service({ meter: metrics.getMeter('type-check') });
    const harness = new OperatorHarness(fake.service({ meter, settings: { model: 'gpt-4.1-mini' } }));
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
    await harness.waitForEnds(1);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Again' }]) }));
    await harness.waitForEnds(2);
    const base = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1-mini' };
    expect(recorded.filter((entry) => entry.name === 'gen_ai.client.token.usage')).toEqual([
      { name: 'gen_ai.client.token.usage', unit: '{token}', value: 12, attributes: expect.objectContaining({ ...base, 'gen_ai.token.type': 'input' }) },
      { name: 'gen_ai.client.token.usage', unit: '{token}', value: 3, attributes: expect.objectContaining({ ...base, 'gen_ai.token.type': 'output' }) },
    ]);
    const durations = recorded.filter((entry) => entry.name === 'gen_ai.client.operation.duration');
    expect(durations.map((entry) => [entry.unit, typeof entry.value, entry.attributes['error.type']])).toEqual([
      ['s', 'number', undefined],
      ['s', 'number', 'LLMRequestError'],
    ]);
    harness.stop();
  });

  it('one span per response with GenAI attributes, and a child span per function call', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'get_time', arguments: {}, callId: 'c_time' }], { inputTokens: 11, outputTokens: 3 }) },
      { kind: 'stream', events: textResponse('Noon.', { inputTokens: 20, outputTokens: 2 }) },
    );
    const { exporter, tracer } = tracing();
    const llm = fake.service({ tracer, settings: { model: 'gpt-4.1-mini' } });
    llm.registerFunction('get_time', () => '12:00');
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Time?' }], [{ type: 'function', name: 'get_time', parameters: { type: 'object', properties: {} } }]) }));
    await harness.waitForEnds(2);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['chat gpt-4.1-mini', 'chat gpt-4.1-mini', 'execute_tool get_time']);
    const [first] = spans.filter((span) => span.name.startsWith('chat'));
    expect(first!.attributes).toMatchObject({
      'gen_ai.system': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(typeof first!.attributes['rx_responses.ttfb_seconds']).toBe('number');
    const tool = spans.find((span) => span.name === 'execute_tool get_time')!;
    expect(tool.attributes).toMatchObject({ 'gen_ai.tool.name': 'get_time', 'gen_ai.tool.call.id': 'c_time' });
    expect(tool.parentSpanContext?.spanId).toBe(first!.spanContext().spanId);
    harness.stop();
  });

  it("links the function call's span into the app's active context when the app registered a context manager", async () => {
    // A context manager whose active context carries a value of the app's: the tool span's context keeps it.
    const appKey = createContextKey('app value');
    const seen: Context[] = [];
    const manager: ContextManager = {
      active: () => ROOT_CONTEXT.setValue(appKey, 'from the app'),
      with: (ctx, fn, thisArg, ...args) => fn.call(thisArg, ...args),
      bind: (_ctx, target) => target,
      enable: () => manager,
      disable: () => manager,
    };
    context.setGlobalContextManager(manager);
    try {
      fake.server().enqueue(
        { kind: 'stream', events: functionCallResponse([{ name: 'get_time', arguments: {}, callId: 'c_time' }]) },
        { kind: 'stream', events: textResponse('Noon.') },
      );
      const { exporter, tracer } = tracing();
      const recording = {
        startSpan: (name: string, options?: object, ctx?: Context) => {
          if (ctx) seen.push(ctx);
          return tracer.startSpan(name, options, ctx);
        },
      };
      const llm = fake.service({ tracer: recording });
      llm.registerFunction('get_time', () => '12:00');
      const harness = new OperatorHarness(llm);
      harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Time?' }], [{ type: 'function', name: 'get_time', parameters: { type: 'object', properties: {} } }]) }));
      await harness.waitForEnds(2);
      const spans = exporter.getFinishedSpans();
      const tool = spans.find((span) => span.name === 'execute_tool get_time')!;
      const [first] = spans.filter((span) => span.name.startsWith('chat'));
      expect(tool.parentSpanContext?.spanId).toBe(first!.spanContext().spanId);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.getValue(appKey)).toBe('from the app');
      harness.stop();
    } finally {
      context.disable();
    }
  });

  it('a failed response records its error; an interrupted one is ended, marked cancelled', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: new ResponseScript().failed('Model crashed') },
      { kind: 'stream', events: textResponse(['a', 'b']), stallAfter: 5 },
    );
    const { exporter, tracer } = tracing();
    const harness = new OperatorHarness(fake.service({ tracer }));
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'x' }]) }));
    await harness.waitForEnds(1);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'y' }]) }));
    await harness.waitFor(() => harness.count('LLMTextFrame') >= 1);
    harness.stop();
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    expect(spans[0]!.status).toMatchObject({ code: 2, message: 'LLM response failed: Model crashed' });
    expect(spans[0]!.events.map((event) => event.name)).toContain('exception');
    expect(spans[1]!.attributes['rx_responses.cancelled']).toBe(true);
    // A cancel is not a failure: the interrupted span has no error status and no exception.
    expect(spans[1]!.status.code).not.toBe(2);
    expect(spans[1]!.events.map((event) => event.name)).not.toContain('exception');
  });

  it('no tracer, no spans and no cost: the option is checked like the others', () => {
    expect(() => fake.service({ tracer: {} as never })).toThrow(/Invalid setting "tracer": expected an OpenTelemetry Tracer/);
  });
});
