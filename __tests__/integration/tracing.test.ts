import { context, createContextKey, ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';
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
