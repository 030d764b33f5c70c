import { z } from 'zod';
import { ContextValidationError, FunctionSchema, LLMContext, OpenAIResponsesLLMSettings, ToolsSchema, type ChatMessage } from '../src';
import type { ResponsesFunctionTool } from '../src/provider';
import { toInputItems } from '../src/services/openai-responses/input-items';
import { buildNonStreamRequest, buildStreamRequest } from '../src/services/openai-responses/request';
import { DEFAULT_SETTINGS, mergeSettings } from '../src/services/openai-responses/settings';
import { buildChatRequest } from '../src/services/openai-chat/request';
import { chatSettings } from '../src/services/openai-chat/settings';

const settingsWith = (input: Parameters<typeof OpenAIResponsesLLMSettings>[0]) => mergeSettings(DEFAULT_SETTINGS, OpenAIResponsesLLMSettings(input));
const userContext = () => new LLMContext([{ role: 'user', content: 'Hi' }]);

describe('buildStreamRequest', () => {
  it('sends only the model, input, store: false and stream: true by default', () => {
    expect(buildStreamRequest({ context: userContext(), settings: DEFAULT_SETTINGS })).toEqual({
      model: 'gpt-4.1',
      input: [{ type: 'message', role: 'user', content: 'Hi' }],
      store: false,
      stream: true,
    });
  });

  it('maps the page settings to Responses fields', () => {
    const settings = settingsWith({ systemInstruction: 'Be brief.', temperature: 0.7, topP: 0.9, maxCompletionTokens: 1000 });
    const body = buildStreamRequest({ context: userContext(), settings, serviceTier: 'flex' });
    expect(body).toMatchObject({ instructions: 'Be brief.', temperature: 0.7, top_p: 0.9, max_output_tokens: 1000, service_tier: 'flex' });
  });

  it('sends null as null and leaves NOT_GIVEN out', () => {
    const body = buildStreamRequest({ context: userContext(), settings: settingsWith({ temperature: null }) }) as unknown as Record<string, unknown>;
    expect(body.temperature).toBeNull();
    expect('top_p' in body).toBe(false);
    expect('max_output_tokens' in body).toBe(false);
    expect('instructions' in body).toBe(false);
  });

  it('never sends frequencyPenalty, presencePenalty or seed (the Responses API has no such fields)', () => {
    const body = buildStreamRequest({ context: userContext(), settings: settingsWith({ frequencyPenalty: 0.5, presencePenalty: 0.1, seed: 7 }) });
    expect(JSON.stringify(body)).not.toMatch(/penalty|seed/);
  });

  it('sends reasoning, parallel_tool_calls and merges extra last, but never lets extra turn streaming off', () => {
    const settings = settingsWith({ reasoning: { effort: 'low', summary: 'auto' }, parallelToolCalls: false, extra: { user: 'u1', stream: false } });
    const body = buildStreamRequest({ context: userContext(), settings });
    expect(body).toMatchObject({ reasoning: { effort: 'low', summary: 'auto' }, parallel_tool_calls: false, user: 'u1', stream: true });
  });

  it('builds a non-streaming body for one-shot requests', () => {
    expect(buildNonStreamRequest({ context: userContext(), settings: DEFAULT_SETTINGS }).stream).toBe(false);
  });
});

describe('toInputItems (context conversion)', () => {
  it('converts every role to Responses items, tool calls to function_call and tool results to function_call_output', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'developer', content: [{ type: 'text', text: 'Dev ' }, { type: 'text', text: 'note' }] },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      { role: 'assistant', content: 'It is 21 degrees.' },
    ];
    expect(toInputItems(messages)).toEqual([
      { type: 'message', role: 'system', content: 'You are helpful.' },
      { type: 'message', role: 'developer', content: 'Dev note' },
      { type: 'message', role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
      { type: 'message', role: 'assistant', content: 'It is 21 degrees.' },
    ]);
  });

  it('keeps assistant text before the calls of the same message', () => {
    const items = toInputItems([
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
    ]);
    expect(items.map((item) => item.type)).toEqual(['message', 'function_call']);
  });

  it('converts text and image parts of a user message to input_text and input_image', () => {
    const context = new LLMContext();
    context.addImageMessage('data:image/png;base64,AAAA', 'What is this?', 'low');
    context.addUserMessage([{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }]);
    expect(toInputItems(context.messages)).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is this?' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
        ],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_image', image_url: 'https://example.com/cat.png', detail: 'auto' }] },
    ]);
  });

  it('converts file parts (by id, URL or data) to input_file, beside text', () => {
    const context = new LLMContext([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Summarise these.' },
          { type: 'file', fileId: 'file-abc' },
          { type: 'file', fileUrl: 'https://example.com/report.pdf' },
          { type: 'file', fileData: 'data:application/pdf;base64,JVBERi0=', filename: 'report.pdf' },
        ],
      },
    ]);
    expect(toInputItems(context.messages)).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Summarise these.' },
          { type: 'input_file', file_id: 'file-abc' },
          { type: 'input_file', file_url: 'https://example.com/report.pdf' },
          { type: 'input_file', file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'report.pdf' },
        ],
      },
    ]);
  });

  it('a file part with no source, or two, is a ContextValidationError naming the part', () => {
    for (const part of [{ type: 'file' }, { type: 'file', fileId: 'file-a', fileUrl: 'https://x' }, { type: 'file', fileId: 42 }]) {
      expect(() => toInputItems([{ role: 'user', content: [part as never] }])).toThrow(/messages\[0\]\.content\[0\]: a file part needs exactly one of fileId, fileUrl or fileData/);
    }
  });

  it('Chat Completions takes file parts by id or data, and names fileUrl as Responses-only', () => {
    const chat = (part: object) => buildChatRequest(new LLMContext([{ role: 'user', content: [part as never] }]), chatSettings.merge(chatSettings.defaults, { model: 'gpt-4.1' })).messages;
    expect(chat({ type: 'file', fileData: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' })).toEqual([
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } }] },
    ]);
    expect(() => chat({ type: 'file', fileUrl: 'https://example.com/a.pdf' })).toThrow(/content\[0\]\.fileUrl: .*only available with OpenAIResponsesLLMService/);
  });

  it('rejects an unknown role with a ContextValidationError naming the message', () => {
    const bad = [{ role: 'user', content: 'ok' }, { role: 'robot', content: 'beep' }] as unknown as ChatMessage[];
    expect(() => toInputItems(bad)).toThrow(ContextValidationError);
    expect(() => toInputItems(bad)).toThrow(/messages\[1\]\.role: unknown role "robot"; allowed: system, developer, user, assistant, tool/);
  });

  it('rejects a tool message without tool_call_id', () => {
    expect(() => toInputItems([{ role: 'tool', content: 'x' } as unknown as ChatMessage])).toThrow(/messages\[0\]\.tool_call_id/);
  });
});

describe('tools in the request', () => {
  const expected: ResponsesFunctionTool & { description: string; parameters: Record<string, unknown> } = {
    type: 'function',
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: false,
  };

  it('converts a ToolsSchema of FunctionSchemas', () => {
    const schema = new FunctionSchema({ name: 'get_weather', description: 'Current weather', properties: { city: { type: 'string' } }, required: ['city'] });
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], new ToolsSchema({ standardTools: [schema] }));
    expect(buildStreamRequest({ context, settings: DEFAULT_SETTINGS }).tools).toEqual([expected]);
  });

  it('converts chat-format tools (as copied from OpenAI docs)', () => {
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], [
      { type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: expected.parameters } },
    ]);
    expect(buildStreamRequest({ context, settings: DEFAULT_SETTINGS }).tools).toEqual([expected]);
  });

  it('passes Responses-format tools through, keeping strict', () => {
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], [{ ...expected, strict: true }]);
    expect(buildStreamRequest({ context, settings: DEFAULT_SETTINGS }).tools).toEqual([{ ...expected, strict: true }]);
  });

  it('converts a zod tool to JSON Schema', () => {
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], [{ name: 'get_weather', description: 'Current weather', parameters: z.object({ city: z.string() }) }]);
    const [tool] = buildStreamRequest({ context, settings: DEFAULT_SETTINGS }).tools as unknown as Record<string, unknown>[];
    expect(tool).toMatchObject({ type: 'function', name: 'get_weather', strict: false });
    expect(tool!.parameters).toMatchObject({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
  });

  it('maps a chat-format tool choice to the Responses shape', () => {
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], [expected], { type: 'function', function: { name: 'get_weather' } });
    expect(buildStreamRequest({ context, settings: DEFAULT_SETTINGS }).tool_choice).toEqual({ type: 'function', name: 'get_weather' });
  });

  it('rejects a tool whose schema is not an object schema, naming it', () => {
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], [{ type: 'function', name: 'f', parameters: { type: 'string' } }]);
    expect(() => buildStreamRequest({ context, settings: DEFAULT_SETTINGS })).toThrow(/tools\[0\]\.parameters/);
  });

  it('rejects an invalid function name', () => {
    const context = new LLMContext([{ role: 'user', content: 'Hi' }], [{ type: 'function', name: 'has space' }]);
    expect(() => buildStreamRequest({ context, settings: DEFAULT_SETTINGS })).toThrow(/tools\[0\]\.name/);
  });
});

describe('an empty context', () => {
  it('is rejected before any request, naming the field', () => {
    expect(() => buildStreamRequest({ context: new LLMContext(), settings: DEFAULT_SETTINGS })).toThrow(
      'Invalid context at messages: the context has no messages and no systemInstruction is set; add a message before running the LLM',
    );
  });
});

describe('model-aware requests and the named settings', () => {
  it('leaves temperature and topP out for a reasoning model, and sends them to one that samples', () => {
    const settings = (model: string) => settingsWith({ model, temperature: 0.3, topP: 0.9 });
    const reasoning = buildStreamRequest({ context: userContext(), settings: settings('gpt-5-mini') });
    expect(reasoning).not.toHaveProperty('temperature');
    expect(reasoning).not.toHaveProperty('top_p');
    expect(buildStreamRequest({ context: userContext(), settings: settings('gpt-4.1') })).toMatchObject({ temperature: 0.3, top_p: 0.9 });
  });

  it('sends each named setting under its Responses name', () => {
    const settings = settingsWith({
      promptCacheKey: 'tenant-42',
      safetyIdentifier: 'user-hash-1',
      textVerbosity: 'low',
      truncation: 'auto',
      metadata: { session: 's1' },
      maxToolCalls: 3,
      include: ['web_search_call.action.sources'],
    });
    expect(buildStreamRequest({ context: userContext(), settings })).toMatchObject({
      prompt_cache_key: 'tenant-42',
      safety_identifier: 'user-hash-1',
      text: { verbosity: 'low' },
      truncation: 'auto',
      metadata: { session: 's1' },
      max_tool_calls: 3,
      include: ['web_search_call.action.sources'],
    });
  });

  it('adds the reasoning include to the one you give, once', () => {
    const request = buildStreamRequest({ context: userContext(), settings: settingsWith({ model: 'gpt-5', include: ['reasoning.encrypted_content', 'message.output_text.logprobs'] }) });
    expect(request.include).toEqual(['reasoning.encrypted_content', 'message.output_text.logprobs']);
  });

  it.each([
    [{ textVerbosity: 'loud' }, /"textVerbosity": expected 'low', 'medium' or 'high'/],
    [{ maxToolCalls: 0 }, /"maxToolCalls": expected a positive integer/],
    [{ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, index) => [`k${index}`, 'v'])) }, /"metadata": expected an object of at most 16 string values/],
    [{ include: 'all' }, /"include": expected an array of strings/],
  ])('rejects %j, naming the field and what it accepts', (input, message) => {
    expect(() => OpenAIResponsesLLMSettings(input as never)).toThrow(message);
  });
});

describe('bot speaks first', () => {
  it('a context with no messages but a systemInstruction sends the instruction alone, as a developer message', () => {
    const request = buildStreamRequest({ context: new LLMContext(), settings: settingsWith({ systemInstruction: 'Greet the caller.' }) });
    expect(request.input).toEqual([{ type: 'message', role: 'developer', content: 'Greet the caller.' }]);
    expect(request).not.toHaveProperty('instructions');
  });

  it('with messages, the instruction goes as instructions', () => {
    expect(buildStreamRequest({ context: userContext(), settings: settingsWith({ systemInstruction: 'Be brief.' }) })).toMatchObject({ instructions: 'Be brief.' });
  });
});

describe('schemas from other copies and libraries', () => {
  const toolWith = (parameters: unknown) => new LLMContext([{ role: 'user', content: 'Hi' }], [{ name: 'f', parameters } as never]);

  it('a zod 3 schema gets a clear error that says how to fix it', () => {
    const zod3Like = { _def: { typeName: 'ZodObject' }, '~standard': { vendor: 'zod', version: 1 }, parse: () => ({}) };
    expect(() => buildStreamRequest({ context: toolWith(zod3Like), settings: settingsWith({}) })).toThrow(
      "Invalid context at tools[0].parameters: a zod 3 schema: import z from 'zod/v4' (zod 3.25 and later ship it) or upgrade to zod 4, so it can be sent as JSON Schema",
    );
  });

  it('a Standard Schema without the JSON Schema converter is named, with what to do', () => {
    const valibotLike = { '~standard': { vendor: 'valibot', version: 1, validate: () => ({ value: {} }) } };
    expect(() => buildStreamRequest({ context: toolWith(valibotLike), settings: settingsWith({}) })).toThrow(
      "Invalid context at tools[0].parameters: a valibot schema without Standard JSON Schema's converter (~standard.jsonSchema), which the API needs to receive it: wrap it with toStandardJsonSchema from '@valibot/to-json-schema'",
    );
  });

  it('a zod 4 schema is recognised by its internals, even without zod\'s prototype (another copy of zod)', () => {
    const schema = z.object({ city: z.string() });
    const foreign = Object.create(null, Object.getOwnPropertyDescriptors(schema)) as unknown;
    const request = buildStreamRequest({ context: toolWith(foreign), settings: settingsWith({}) });
    expect(request.tools?.[0]).toMatchObject({ type: 'function', name: 'f', parameters: { type: 'object', properties: { city: { type: 'string' } } } });
  });
});
