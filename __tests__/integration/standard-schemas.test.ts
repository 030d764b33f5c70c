/**
 * Schemas of other libraries, through Standard Schema and its JSON Schema converter: ArkType (natively), Valibot
 * (through `toStandardJsonSchema`), and zod. Each is sent as JSON Schema, checks the model's arguments or answer, and
 * types the handler.
 */
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import type * as ArkType from 'arktype' with { 'resolution-mode': 'import' };
import * as v from 'valibot';
import { z } from 'zod/v4';
import { defineTool, LLMContext, LLMContextFrame, SettingsValidationError, StructuredOutputError, type DefinedTool } from '../../src';
import type { StandardJsonSchema } from '../../src/provider';
import { functionCallResponse, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

// ArkType is published only as ES modules: this CommonJS test file requires it through Jest's transform
// (jest.config.js), and takes its types from the ES module side.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { type } = require('arktype') as typeof ArkType;

const fake = useFakeServer('sk-standard-schema');

/** The JSON Schema every library should give for `{ city: string, days?: number }`. */
const CITY_DAYS = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'number' } }, required: ['city'] };

/** A Standard JSON Schema written by hand, around a `validate` of the test's (the spec allows sync, async, throwing). */
function handWritten<T>(validate: StandardJsonSchema<T>['~standard']['validate'], jsonSchema: Record<string, unknown> = { type: 'object', properties: {} }): StandardJsonSchema<T> {
  return { '~standard': { version: 1, vendor: 'hand-written', validate, jsonSchema: { input: () => jsonSchema, output: () => jsonSchema } } };
}

/** The same weather tool with each library's schema; the handler records its (typed) arguments. */
function weatherTools(seen: string[]): ReadonlyArray<readonly [string, DefinedTool]> {
  const record = (city: string, days: number | undefined) => {
    seen.push(`${city}/${days ?? '-'}`);
    return `${city}: sunny`;
  };
  return [
    ['arktype', defineTool({ name: 'get_weather', parameters: type({ city: 'string', 'days?': 'number' }), handler: ({ arguments: { city, days } }) => record(city, days) })],
    ['valibot', defineTool({ name: 'get_weather', parameters: toStandardJsonSchema(v.object({ city: v.string(), days: v.optional(v.number()) })), handler: ({ arguments: { city, days } }) => record(city, days) })],
    ['zod', defineTool({ name: 'get_weather', parameters: z.object({ city: z.string(), days: z.number().optional() }), handler: ({ arguments: { city, days } }) => record(city, days) })],
  ];
}

describe.each(weatherTools([]).map(([library]) => [library]))('a tool with a %s schema', (library) => {
  function setUp(args: Record<string, unknown>) {
    const seen: string[] = [];
    const tool = weatherTools(seen).find(([name]) => name === library)![1];
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: args, callId: 'c1' }]) }, { kind: 'stream', events: textResponse('Done.') });
    const logger = recordingLogger();
    const llm = fake.service({ logger });
    llm.registerTool(tool);
    const harness = new OperatorHarness(llm);
    const context = new LLMContext([{ role: 'user', content: 'Weather in Oslo?' }], [tool]);
    harness.send(new LLMContextFrame({ context }));
    return { seen, harness, context, logger };
  }

  it('is sent as JSON Schema, and the handler gets the checked arguments', async () => {
    const { seen, harness, logger } = setUp({ city: 'Oslo', days: 2 });
    await harness.waitForEnds(2);
    expect(fake.server().requests[0]?.body?.tools).toEqual([{ type: 'function', name: 'get_weather', parameters: expect.objectContaining(CITY_DAYS), strict: false }]);
    expect(fake.server().requests[0]?.body?.tools).not.toContainEqual(expect.objectContaining({ parameters: expect.objectContaining({ $schema: expect.anything() }) }));
    expect(seen).toEqual(['Oslo/2']);
    expect(harness.errorMessages()).toEqual([]);
    expect(logger.lines).toEqual([]);
    harness.stop();
  });

  it('arguments that do not fit are not run: the ErrorFrame and the output the model reads name the path', async () => {
    const { seen, harness, context } = setUp({ city: 42 });
    await harness.waitForEnds(2);
    expect(seen).toEqual([]);
    expect(harness.errorMessages()).toEqual([expect.stringMatching(/^Invalid arguments for function "get_weather": city: /)]);
    const output = context.messages.find((message) => message.role === 'tool');
    expect(output?.content).toMatch(/Invalid arguments for function \\?"get_weather\\?": city: /);
    harness.stop();
  });
});

describe('typing from the schema', () => {
  it("types the handler's arguments from ArkType's and Valibot's schemas (checked by tsc: the wrong uses do not compile)", () => {
    const ark = defineTool({
      name: 'a',
      parameters: type({ city: 'string' }),
      // @ts-expect-error city is a string, not a number
      handler: ({ arguments: { city } }): number => city,
    });
    const valibot = defineTool({
      name: 'b',
      parameters: toStandardJsonSchema(v.object({ days: v.number() })),
      // @ts-expect-error days is a number, not a string
      handler: ({ arguments: { days } }): string => days,
    });
    expect([ark.name, valibot.name]).toEqual(['a', 'b']);
  });
});

describe('asynchronous schemas', () => {
  it('a tool whose schema checks asynchronously (the spec allows a promise) is awaited before the call is announced', async () => {
    // A Standard JSON Schema written by hand: its validate answers later, as a check against a database would.
    const known = new Set(['Oslo']);
    const schema = handWritten<{ city: string }>(
      async (value) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const city = (value as { city?: unknown }).city;
        return typeof city === 'string' && known.has(city) ? { value: { city } } : { issues: [{ message: 'unknown city', path: [{ key: 'city' }] }] };
      },
      { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    );
    const seen: string[] = [];
    const tool = defineTool({ name: 'get_weather', parameters: schema, handler: ({ arguments: { city } }) => {
      seen.push(city);
      return 'sunny';
    } });
    fake.server().enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: { city: 'Oslo' }, callId: 'ok' }, { name: 'get_weather', arguments: { city: 'Atlantis' }, callId: 'bad' }]) },
      { kind: 'stream', events: textResponse('Done.') },
    );
    const llm = fake.service();
    llm.registerTool(tool);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Weather?' }], [tool]) }));
    await harness.waitForEnds(2);
    expect(seen).toEqual(['Oslo']);
    expect(harness.errorMessages()).toEqual(['Invalid arguments for function "get_weather": city: unknown city']);
    const started = harness.output.find((frame) => frame.type === 'FunctionCallsStartedFrame');
    expect(started && started.type === 'FunctionCallsStartedFrame' ? started.functionCalls.map((call) => call.toolCallId) : []).toEqual(['ok', 'bad']);
    harness.stop();
  });

  it.each([
    ['throws', () => {
      throw new Error('lookup table missing');
    }],
    ['rejects', async () => {
      throw new Error('lookup table missing');
    }],
  ])('a schema whose validate %s is reported like a mismatch: the handler does not run, the turn goes on', async (_how, validate) => {
    const schema = handWritten<Record<string, never>>(validate);
    const seen: string[] = [];
    const tool = defineTool({ name: 'check', parameters: schema, handler: () => {
      seen.push('ran');
      return 'ok';
    } });
    fake.server().enqueue({ kind: 'stream', events: functionCallResponse([{ name: 'check', arguments: {}, callId: 'c1' }]) }, { kind: 'stream', events: textResponse('Sorry.') });
    const llm = fake.service();
    llm.registerTool(tool);
    const harness = new OperatorHarness(llm);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Check' }], [tool]) }));
    await harness.waitForEnds(2);
    expect(seen).toEqual([]);
    expect(harness.errorMessages()).toEqual(['The schema of function "check" failed while checking its arguments: lookup table missing']);
    expect(harness.text()).toBe('Sorry.');
    expect(harness.errors).toEqual([]);
    harness.stop();
  });
});

describe('runInference with a Standard JSON Schema', () => {
  const Weather = type({ city: 'string', celsius: 'number' });

  it('asks for the schema as strict structured output and resolves to the checked, typed value', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse('{"city":"Oslo","celsius":-3}') });
    const weather = await fake.service().runInference(new LLMContext([{ role: 'user', content: 'Weather?' }]), { schema: Weather, schemaName: 'weather' });
    const typed: { city: string; celsius: number } = weather;
    expect(typed).toEqual({ city: 'Oslo', celsius: -3 });
    expect(fake.server().requests[0]?.body?.text).toEqual({
      format: { type: 'json_schema', name: 'weather', strict: true, schema: { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['celsius', 'city'], additionalProperties: false } },
    });
  });

  it('an answer that does not fit rejects with a StructuredOutputError naming the path', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse('{"city":"Oslo","celsius":"cold"}') });
    const answer = fake.service().runInference(new LLMContext([{ role: 'user', content: 'Weather?' }]), { schema: Weather });
    await expect(answer).rejects.toThrow(StructuredOutputError);
    await expect(answer).rejects.toMatchObject({ path: 'celsius' });
  });

  it('a schema whose validate throws rejects with a StructuredOutputError giving the cause', async () => {
    fake.server().enqueue({ kind: 'stream', events: textResponse('{}') });
    const broken = handWritten<Record<string, never>>(() => {
      throw new Error('lookup table missing');
    });
    const answer = fake.service().runInference(new LLMContext([{ role: 'user', content: 'Weather?' }]), { schema: broken });
    await expect(answer).rejects.toThrow(StructuredOutputError);
    await expect(answer).rejects.toThrow(/the schema failed while checking the answer: lookup table missing/);
  });

  it('a schema without the JSON Schema converter is refused before any request, saying what to do', async () => {
    const plain = v.object({ city: v.string() }) as unknown as StandardJsonSchema;
    const answer = fake.service().runInference(new LLMContext([{ role: 'user', content: 'Weather?' }]), { schema: plain });
    await expect(answer).rejects.toThrow(SettingsValidationError);
    await expect(answer).rejects.toThrow(/toStandardJsonSchema from '@valibot\/to-json-schema'/);
    expect(fake.server().requests).toEqual([]);
  });
});
