import { z } from 'zod';
import {
  defineTool,
  FunctionCallError,
  FunctionSchema,
  InterruptionFrame,
  LLMContext,
  LLMContextFrame,
  OpenAIResponsesLLMService,
  ToolsSchema,
  type FunctionCallFromLLM,
  type OpenAIResponsesLLMServiceOptions,
} from '../../src';
import { functionCallResponse, ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-test-fc');
const service = fake.service;

const weatherTool = new FunctionSchema({ name: 'get_weather', description: 'Weather', properties: { city: { type: 'string' } }, required: ['city'] });

function weatherContext() {
  return new LLMContext([{ role: 'user', content: 'Weather in Paris and Rome?' }], new ToolsSchema({ standardTools: [weatherTool] }));
}

/** A promise the test settles by hand: handler timing without real sleeps. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
/** One turn of the event loop: lets settled promises and socket events run. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('function calling', () => {
  it('runs one call, sends the result back with the same call_id and streams the follow-up answer', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_1', chunks: 3 }]) },
      { kind: 'stream', events: textResponse(['Sunny, ', '21 degrees.']) },
    );
    const llm = service();
    const started: FunctionCallFromLLM[][] = [];
    llm.on('functionCallsStarted', (service, calls) => {
      expect(service).toBe(llm);
      started.push([...calls]);
    });
    const seen: unknown[] = [];
    llm.registerFunction('get_weather', (params) => {
      seen.push({ name: params.functionName, id: params.toolCallId, args: params.arguments, llm: params.llm === llm });
      return { temp: 21, sky: 'sunny' };
    });
    const harness = new OperatorHarness(llm);
    const context = weatherContext();
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(2);

    expect(harness.types().filter((type) => type !== 'MetricsFrame')).toEqual([
      'LLMFullResponseStartFrame',
      'LLMFullResponseEndFrame',
      'FunctionCallsStartedFrame',
      'FunctionCallInProgressFrame',
      'FunctionCallResultFrame',
      'LLMFullResponseStartFrame',
      'LLMTextFrame',
      'LLMTextFrame',
      'LLMFullResponseEndFrame',
    ]);
    expect(seen).toEqual([{ name: 'get_weather', id: 'call_1', args: { city: 'Paris' }, llm: true }]);
    expect(started).toEqual([[{ functionName: 'get_weather', toolCallId: 'call_1', arguments: { city: 'Paris' } }]]);
    const result = harness.output.find((frame) => frame.type === 'FunctionCallResultFrame');
    expect(result).toMatchObject({ functionName: 'get_weather', toolCallId: 'call_1', result: { temp: 21, sky: 'sunny' } });
    expect(fake.server().requests).toHaveLength(2);
    expect(fake.server().requests[1]?.body?.input).toEqual([
      { type: 'message', role: 'user', content: 'Weather in Paris and Rome?' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21,"sky":"sunny"}' },
    ]);
    expect(fake.server().requests[1]?.body?.tools).toEqual(fake.server().requests[0]?.body?.tools);
    expect(context.messages).toHaveLength(3);
  });

  it('runs two calls of one response in parallel and sends both results', async () => {
    fake.server().enqueue(
      {
        kind: 'stream',
        events: functionCallResponse([
          { name: 'get_weather', arguments: { city: 'Paris' }, callId: 'call_p' },
          { name: 'get_weather', arguments: { city: 'Rome' }, callId: 'call_r' },
        ]),
      },
      { kind: 'stream', events: textResponse('Both sunny.') },
    );
    const llm = service();
    const log: string[] = [];
    // Paris answers only once Rome has: both must be running at once for that to finish.
    const romeDone = deferred();
    llm.registerFunction('get_weather', async ({ arguments: args }) => {
      const city = String(args.city);
      log.push(`start ${city}`);
      if (city === 'Paris') await romeDone.promise;
      log.push(`end ${city}`);
      if (city === 'Rome') romeDone.resolve();
      return `${city}: sunny`;
    });
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: weatherContext() }));
    await harness.waitForEnds(2);
    expect(log).toEqual(['start Paris', 'start Rome', 'end Rome', 'end Paris']);
    const results = harness.output.flatMap((frame) => (frame.type === 'FunctionCallResultFrame' ? [frame.toolCallId] : []));
    expect(results).toEqual(['call_r', 'call_p']);
    expect(fake.server().requests[1]?.body?.input).toEqual([
      { type: 'message', role: 'user', content: 'Weather in Paris and Rome?' },
      { type: 'function_call', call_id: 'call_p', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_r', name: 'get_weather', arguments: '{"city":"Rome"}' },
      { type: 'function_call_output', call_id: 'call_p', output: 'Paris: sunny' },
      { type: 'function_call_output', call_id: 'call_r', output: 'Rome: sunny' },
    ]);
  });

  it('runs calls one after another with runInParallel: false', async () => {
    fake.server().enqueue({
      kind: 'stream',
      events: functionCallResponse([
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_weather', arguments: { city: 'Rome' } },
      ]),
    });
    const llm = service({ runInParallel: false });
    const log: string[] = [];
    llm.registerFunction('get_weather', async ({ arguments: args }) => {
      log.push(`start ${String(args.city)}`);
      await tick();
      log.push(`end ${String(args.city)}`);
      return 'ok';
    });
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: weatherContext() }));
    await harness.waitForEnds(2);
    expect(log).toEqual(['start Paris', 'end Paris', 'start Rome', 'end Rome']);
  });

  it('accepts a result through resultCallback and does not re-run the model when asked not to', async () => {
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'hang_up', arguments: {}, callId: 'c1' }]) });
    const llm = service();
    llm.registerFunction('hang_up', ({ resultCallback }) => {
      queueMicrotask(() => resultCallback('bye', { runLlm: false }));
    });
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'Bye' }]);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitFor(() => harness.count('FunctionCallResultFrame') === 1);
    // A follow-up would open its response at once, in the same step as the result.
    const afterResult = harness.types().slice(harness.types().indexOf('FunctionCallResultFrame') + 1);
    expect(afterResult).not.toContain('LLMFullResponseStartFrame');
    expect(fake.server().requests).toHaveLength(1);
    expect(context.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'bye' });
  });

  it('uses the catch-all handler for names without their own', async () => {
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'anything', arguments: { a: 1 } }]) });
    const llm = service();
    llm.registerFunction(null, ({ functionName }) => `handled ${functionName}`);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'x' }]) }));
    await harness.waitForEnds(2);
    expect((fake.server().requests[1]?.body?.input as unknown[]).at(-1)).toMatchObject({ type: 'function_call_output', output: 'handled anything' });
  });

  it('an interruption while a handler runs aborts its signal and sends no follow-up request', async () => {
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'slow', arguments: {}, callId: 'c_slow' }]) });
    const llm = service();
    let signal: AbortSignal | undefined;
    const answer = deferred<string>();
    llm.registerFunction('slow', (params) => {
      signal = params.signal;
      return answer.promise;
    });
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'go' }]);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitFor(() => harness.count('FunctionCallInProgressFrame') === 1);
    expect(signal?.aborted).toBe(false);
    harness.send(new InterruptionFrame());
    expect(signal?.aborted).toBe(true);
    // The handler answers after all: too late, nothing of it may surface.
    answer.resolve('late');
    await tick();
    expect(harness.count('FunctionCallResultFrame')).toBe(0);
    expect(fake.server().requests).toHaveLength(1);
    expect(context.messages).toEqual([{ role: 'user', content: 'go' }]);
    expect(harness.output.at(-1)?.type).toBe('InterruptionFrame');
  });

  it('after a terminal stream error, a call whose arguments never finished is dropped', async () => {
    const events = new ResponseScript()
      .event({ type: 'response.output_item.added', output_index: 0, item: { id: 'fc_1', type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '' } })
      .event({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"ci' })
      .error('Overloaded');
    fake.server().enqueue({ kind: 'stream', events });
    const llm = service();
    const handler = jest.fn(() => 'never');
    llm.registerFunction('get_weather', handler);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: weatherContext() }));
    await harness.waitForEnds(1);
    // Calls run in the same step as the End of their response: none ran.
    expect(handler).not.toHaveBeenCalled();
    expect(harness.count('FunctionCallsStartedFrame')).toBe(0);
    expect(harness.errorMessages()).toEqual(['LLM stream error: Overloaded (function call "get_weather" not run)']);
    expect(fake.server().requests).toHaveLength(1);
  });
});

describe('function call failures: the model gets an error result, an ErrorFrame says what happened, the turn goes on', () => {
  async function runFailing(
    call: { name: string; arguments: Record<string, unknown> | string },
    setup: (llm: OpenAIResponsesLLMService) => void,
    context = weatherContext(),
    options: OpenAIResponsesLLMServiceOptions = {},
  ) {
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ ...call, callId: 'c_fail' }]) },
      { kind: 'stream', events: textResponse('Sorry about that.') },
    );
    const llm = service(options);
    setup(llm);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(2);
    const output = (fake.server().requests[1]?.body?.input as { type: string; output?: string }[]).find((item) => item.type === 'function_call_output');
    const errors = harness.output.filter((frame) => frame.type === 'ErrorFrame');
    expect(harness.text()).toBe('Sorry about that.');
    return { output: JSON.parse(output?.output ?? '{}') as { error?: string }, errors, harness };
  }

  it('no handler registered', async () => {
    const { output, errors } = await runFailing({ name: 'get_weather', arguments: { city: 'Paris' } }, () => {});
    expect(output.error).toBe('No handler is registered for function "get_weather"');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ error: 'No handler is registered for function "get_weather"', fatal: false });
    expect(errors[0]?.type === 'ErrorFrame' && errors[0].exception).toBeInstanceOf(FunctionCallError);
  });

  it('arguments that are not JSON (the handler does not run)', async () => {
    const handler = jest.fn(() => 'x');
    const { output } = await runFailing({ name: 'get_weather', arguments: '{"city": Par' }, (llm) => llm.registerFunction('get_weather', handler));
    expect(output.error).toBe('The arguments of function "get_weather" are not valid JSON');
    expect(handler).not.toHaveBeenCalled();
  });

  it('arguments that fail the zod schema (the handler does not run)', async () => {
    const handler = jest.fn(() => 'x');
    const context = new LLMContext([{ role: 'user', content: 'hi' }], [{ name: 'get_weather', parameters: z.object({ city: z.string(), days: z.number().int().max(7) }) }]);
    const { output } = await runFailing({ name: 'get_weather', arguments: { city: 'Paris', days: 30 } }, (llm) => llm.registerFunction('get_weather', handler), context);
    expect(output.error).toMatch(/^Invalid arguments for function "get_weather": days: /);
    expect(handler).not.toHaveBeenCalled();
  });

  it('arguments that pass the zod schema reach the handler parsed', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: { city: 'Paris', days: 2 } }]) },
      { kind: 'stream', events: textResponse('ok') },
    );
    const llm = service();
    const handler = jest.fn(() => 'fine');
    llm.registerFunction('get_weather', handler);
    const context = new LLMContext([{ role: 'user', content: 'hi' }], [{ name: 'get_weather', parameters: z.object({ city: z.string(), days: z.coerce.number() }) }]);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitForEnds(2);
    expect(handler).toHaveBeenCalledWith(expect.objectContaining({ arguments: { city: 'Paris', days: 2 } }));
  });

  it('a handler that throws: the model reads that it failed, never the exception; the ErrorFrame has it as the cause', async () => {
    const thrown = new Error('weather service down at 10.0.0.7, session 8f3a');
    const { output, errors } = await runFailing({ name: 'get_weather', arguments: { city: 'Paris' } }, (llm) =>
      llm.registerFunction('get_weather', () => {
        throw thrown;
      }),
    );
    expect(output.error).toBe('The function "get_weather" failed and returned no result.');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ error: 'Function "get_weather" failed: weather service down at 10.0.0.7, session 8f3a' });
    const exception = errors[0]?.type === 'ErrorFrame' ? errors[0].exception : undefined;
    expect(exception).toBeInstanceOf(FunctionCallError);
    expect(exception?.cause).toBe(thrown);
    // Nothing of the exception went to the model, not even in what the follow-up carries.
    expect(JSON.stringify(fake.server().requests[1]?.body)).not.toContain('10.0.0.7');
  });

  it('a handler that rejects', async () => {
    const { output } = await runFailing({ name: 'get_weather', arguments: { city: 'Paris' } }, (llm) =>
      llm.registerFunction('get_weather', async () => Promise.reject(new Error('nope'))),
    );
    expect(output.error).toBe('The function "get_weather" failed and returned no result.');
  });

  it('functionErrorMessage chooses what the model reads for a failed handler', async () => {
    const { output } = await runFailing(
      { name: 'get_weather', arguments: { city: 'Paris' } },
      (llm) => llm.registerFunction('get_weather', async () => Promise.reject(new Error('timeout at db-7'))),
      weatherContext(),
      { functionErrorMessage: (_error, call) => `The weather system is down; ${call.functionName} did not run.` },
    );
    expect(output.error).toBe('The weather system is down; get_weather did not run.');
  });

  it('a functionErrorMessage that throws: the default wording stands in', async () => {
    const fallback = await runFailing(
      { name: 'get_weather', arguments: { city: 'Paris' } },
      (llm) => llm.registerFunction('get_weather', async () => Promise.reject(new Error('x'))),
      weatherContext(),
      {
        functionErrorMessage: () => {
          throw new Error('the app failed too');
        },
      },
    );
    expect(fallback.output.error).toBe('The function "get_weather" failed and returned no result.');
  });

  it('a handler that never answers, with a per-call timeout (its signal aborts)', async () => {
    let signal: AbortSignal | undefined;
    const { output } = await runFailing({ name: 'get_weather', arguments: { city: 'Paris' } }, (llm) =>
      llm.registerFunction(
        'get_weather',
        (params) => {
          signal = params.signal;
        },
        { timeoutMs: 50 },
      ),
    );
    expect(output.error).toBe('Function "get_weather" did not answer within 50 ms (the timeoutMs it was registered with)');
    expect(signal?.aborted).toBe(true);
  });

  it('a result that cannot be serialised', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const { output } = await runFailing({ name: 'get_weather', arguments: { city: 'Paris' } }, (llm) => llm.registerFunction('get_weather', () => circular));
    expect(output.error).toBe('The result of function "get_weather" cannot be serialised to JSON');
  });
});

describe('function calls and barge-in, over loopback', () => {
  it('an interrupted handler ends with a FunctionCallCancelFrame and the functionCallsCancelled event', async () => {
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'slow', arguments: {}, callId: 'c_slow' }]) });
    const llm = service();
    llm.registerFunction('slow', () => new Promise(() => undefined));
    const cancelled: string[] = [];
    llm.on('functionCallsCancelled', (_service, calls) => void cancelled.push(...calls.map((call) => call.toolCallId)));
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'go' }]) }));
    await harness.waitFor(() => harness.count('FunctionCallInProgressFrame') === 1);
    harness.send(new InterruptionFrame());
    expect(harness.types().slice(-2)).toEqual(['FunctionCallCancelFrame', 'InterruptionFrame']);
    expect(harness.output.at(-2)).toMatchObject({ functionName: 'slow', toolCallId: 'c_slow' });
    expect(cancelled).toEqual(['c_slow']);
    harness.stop();
  });

  it('a handler registered with cancelOnInterruption: false survives, lands with its call, and the model runs on it', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'book_table', arguments: { people: 2 }, callId: 'c_book' }]) },
      { kind: 'stream', events: textResponse('Your table is booked.') },
    );
    const llm = service();
    const booked = deferred<string>();
    llm.registerFunction('book_table', () => booked.promise, { cancelOnInterruption: false });
    const context = new LLMContext([{ role: 'user', content: 'Book a table for two' }]);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitFor(() => harness.count('FunctionCallInProgressFrame') === 1);
    harness.send(new InterruptionFrame());
    expect(harness.count('FunctionCallCancelFrame')).toBe(0);
    expect(context.messages).toHaveLength(1);
    booked.resolve('booked for 8 pm');
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('Your table is booked.');
    expect(harness.output.find((frame) => frame.type === 'FunctionCallResultFrame')).toMatchObject({ toolCallId: 'c_book', result: 'booked for 8 pm' });
    expect(fake.server().requests[1]?.body?.input).toEqual([
      { type: 'message', role: 'user', content: 'Book a table for two' },
      { type: 'function_call', call_id: 'c_book', name: 'book_table', arguments: '{"people":2}' },
      { type: 'function_call_output', call_id: 'c_book', output: 'booked for 8 pm' },
    ]);
    harness.stop();
  });

  it('a surviving handler that answers with runLlm: false lands in the context and runs nothing', async () => {
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'log', arguments: {}, callId: 'c_log' }]) });
    const llm = service();
    const logged = deferred<void>();
    llm.registerFunction(
      'log',
      ({ resultCallback }) => {
        void logged.promise.then(() => resultCallback('logged', { runLlm: false }));
      },
      { cancelOnInterruption: false },
    );
    const context = new LLMContext([{ role: 'user', content: 'log it' }]);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context }));
    await harness.waitFor(() => harness.count('FunctionCallInProgressFrame') === 1);
    harness.send(new InterruptionFrame());
    logged.resolve();
    await harness.waitFor(() => harness.count('FunctionCallResultFrame') === 1);
    await tick();
    expect(context.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c_log', content: 'logged' });
    expect(fake.server().requests).toHaveLength(1);
    harness.stop();
  });
});

describe('typed tools: defineTool and registerTool', () => {
  it('declares a tool and its handler in one place; the handler gets the arguments typed and validated', async () => {
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: { city: 'Oslo', days: 2 }, callId: 'c_typed' }]) },
      { kind: 'stream', events: textResponse('Cold.') },
    );
    const seen: string[] = [];
    const weather = defineTool({
      name: 'get_weather',
      description: 'Weather forecast',
      parameters: z.object({ city: z.string(), days: z.number().int() }),
      handler: ({ arguments: { city, days } }) => {
        const typed: [string, number] = [city, days];
        seen.push(`${typed[0]}/${typed[1]}`);
        return `${city}: cold for ${days} days`;
      },
    });
    const logger = recordingLogger();
    const llm = service({ logger });
    llm.registerTool(weather);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Weather?' }], [weather]) }));
    await harness.waitForEnds(2);
    expect(seen).toEqual(['Oslo/2']);
    expect(fake.server().requests[0]?.body?.tools).toEqual([expect.objectContaining({ type: 'function', name: 'get_weather', description: 'Weather forecast' })]);
    expect(logger.lines).toEqual([]);
    harness.stop();
  });

  it('a function registered but not offered in the context gets one warning', async () => {
    const logger = recordingLogger();
    const llm = service({ logger });
    llm.registerFunction('book_table', () => 'ok');
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) }));
    await harness.waitForEnds(1);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Again' }]) }));
    await harness.waitForEnds(2);
    expect(logger.lines).toEqual([expect.stringMatching(/function "book_table" has a handler but is not among the context's tools, so the model is never offered it\.$/)]);
    harness.stop();
  });
});
