/**
 * The fault table: every way a request or its stream can fail. Each fault must give the
 * text that streamed before it, exactly one typed ErrorFrame (or none, for what is harmless), balanced Start/End, an
 * output that neither errors nor completes, and a next context that works.
 */
import { LLMIncompleteError, LLMRequestError, LLMStreamError, LLMTimeoutError, type ErrorFrame, type OpenAIResponsesLLMServiceOptions } from '../../src';
import { ResponseScript, textResponse, type FakeReply } from '../../src/testing';
import { useFakeServer } from '../support/harness';
import { expectNextContextWorks, runFault } from './support';

const fake = useFakeServer('sk-faults-table-0123456789');
const errorFrames = (frames: readonly { type: string }[]) => frames.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
const sse = (event: object & { type: string }) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/** One row: a fault, and what the pipeline must show for it. */
interface FaultCase {
  readonly name: string;
  /** The replies the fault takes (retries included); later requests get the server's fallback "OK". */
  readonly replies: readonly FakeReply[];
  readonly options?: OpenAIResponsesLLMServiceOptions;
  /** The text that streamed before the fault. */
  readonly text: string;
  /** The one ErrorFrame expected, or null for none. */
  readonly error: { readonly message: RegExp; readonly type: new (...args: never[]) => Error; readonly status?: number; readonly code?: string } | null;
  /** How many requests the fault took. */
  readonly requests: number;
}

const busy = (status: number): FakeReply => ({ kind: 'http-error', status, message: 'still busy', headers: { 'retry-after-ms': '5' } });

const CASES: readonly FaultCase[] = [
  ...(
    [
      [400, 'invalid_request_error', "Invalid value: 'temperature'"],
      [401, 'invalid_api_key', 'Incorrect API key provided'],
      [403, 'unsupported_country', 'Country not supported'],
      [404, 'model_not_found', 'The model `gpt-9` does not exist'],
      [422, null, 'Unprocessable'],
    ] as const
  ).map(
    ([status, code, message]): FaultCase => ({
      name: `HTTP ${status} is not retried and becomes an LLMRequestError with status and code`,
      replies: [{ kind: 'http-error', status, code, message }],
      options: { maxRetries: 2 },
      text: '',
      error: { message: new RegExp(`^LLM request failed with HTTP ${status}: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), type: LLMRequestError, status, ...(code ? { code } : {}) },
      requests: 1,
    }),
  ),
  ...[500, 503].flatMap((status): FaultCase[] => [
    { name: `HTTP ${status} is retried, then succeeds`, replies: [busy(status), { kind: 'stream', events: textResponse('fine') }], options: { maxRetries: 2 }, text: 'fine', error: null, requests: 2 },
    {
      name: `HTTP ${status} retried until exhausted gives one ErrorFrame`,
      replies: [busy(status), busy(status), busy(status)],
      options: { maxRetries: 2 },
      text: '',
      error: { message: new RegExp(`^LLM request failed with HTTP ${status}: still busy$`), type: LLMRequestError, status },
      requests: 3,
    },
  ]),
  { name: 'a connection closed before the headers', replies: [{ kind: 'drop' }], options: { maxRetries: 0 }, text: '', error: { message: /^LLM connection failed/, type: LLMRequestError }, requests: 1 },
  {
    name: 'malformed SSE data as the first event',
    replies: [{ kind: 'raw', chunks: ['event: response.created\ndata: {"type":\n\n'] }],
    text: '',
    error: { message: /^LLM stream error: malformed event data/, type: LLMStreamError },
    requests: 1,
  },
  {
    name: 'malformed JSON in a data: line after a valid event',
    replies: [{ kind: 'raw', chunks: [sse(textResponse('Hi')[0]!), 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta",\n\n'] }],
    text: '',
    error: { message: /^LLM stream error: malformed event data/, type: LLMStreamError },
    requests: 1,
  },
  {
    name: 'an error event',
    replies: [{ kind: 'stream', events: new ResponseScript().text(['Hal', 'f']).error('Overloaded', 'server_error') }],
    text: 'Half',
    error: { message: /^LLM stream error: Overloaded$/, type: LLMStreamError, code: 'server_error' },
    requests: 1,
  },
  {
    name: 'response.failed after some text',
    replies: [{ kind: 'stream', events: new ResponseScript().text('Half').failed('Model crashed') }],
    text: 'Half',
    error: { message: /^LLM response failed: Model crashed$/, type: LLMStreamError, code: 'server_error' },
    requests: 1,
  },
  {
    name: 'response.failed with no output',
    replies: [{ kind: 'stream', events: new ResponseScript().failed('Model crashed') }],
    text: '',
    error: { message: /^LLM response failed: Model crashed$/, type: LLMStreamError },
    requests: 1,
  },
  {
    name: 'response.incomplete keeps the text before it',
    replies: [{ kind: 'stream', events: new ResponseScript().text(['Cut ', 'short']).incomplete('max_output_tokens') }],
    text: 'Cut short',
    error: { message: /^LLM response incomplete: max_output_tokens$/, type: LLMIncompleteError },
    requests: 1,
  },
  {
    name: 'the connection dropped mid-stream',
    replies: [{ kind: 'stream', events: textResponse(['a', 'b', 'c', 'd']), dropAfter: 6 }],
    text: 'ab',
    error: { message: /^LLM stream error: connection dropped/, type: LLMStreamError },
    requests: 1,
  },
  {
    name: 'a stream that ends without response.completed',
    replies: [{ kind: 'stream', events: new ResponseScript().text('Partial').cutOff() }],
    text: 'Partial',
    error: { message: /^LLM stream ended before the response completed$/, type: LLMStreamError },
    requests: 1,
  },
  {
    name: 'an unknown event type (ignored, not an error)',
    replies: [{ kind: 'stream', events: new ResponseScript().event({ type: 'response.brand_new_thing', x: 1 }).text('Fine').completed() }],
    text: 'Fine',
    error: null,
    requests: 1,
  },
  {
    name: 'a text delta for an item never added (forwarded: it is the model’s output)',
    replies: [
      {
        kind: 'stream',
        events: new ResponseScript().event({ type: 'response.output_text.delta', item_id: 'msg_ghost', output_index: 0, content_index: 0, delta: 'Ghost', logprobs: [] }).completed(),
      },
    ],
    text: 'Ghost',
    error: null,
    requests: 1,
  },
  {
    name: 'argument deltas for a call never added (ignored: nothing to run)',
    replies: [
      {
        kind: 'stream',
        events: new ResponseScript()
          .event({ type: 'response.function_call_arguments.delta', item_id: 'fc_ghost', output_index: 0, delta: '{}' })
          .event({ type: 'response.function_call_arguments.done', item_id: 'fc_ghost', output_index: 0, name: 'f', arguments: '{}' })
          .text('Done')
          .completed(),
      },
    ],
    text: 'Done',
    error: null,
    requests: 1,
  },
];

describe('the fault table', () => {
  it.each(CASES.map((fault) => [fault.name, fault] as const))('%s', async (_name, fault) => {
    fake.server().enqueue(...fault.replies);
    const harness = await runFault(fake.service(fault.options));
    expect(harness.text()).toBe(fault.text);
    const errors = errorFrames(harness.output);
    if (fault.error === null) {
      expect(errors).toEqual([]);
      expect(harness.count('FunctionCallsStartedFrame')).toBe(0);
    } else {
      expect(errors).toHaveLength(1);
      const [error] = errors;
      expect(error!.error).toMatch(fault.error.message);
      expect(error!.fatal).toBe(false);
      expect(error!.exception).toBeInstanceOf(fault.error.type);
      if (fault.error.status !== undefined) expect((error!.exception as LLMRequestError).status).toBe(fault.error.status);
      if (fault.error.code !== undefined) expect((error!.exception as LLMRequestError).code).toBe(fault.error.code);
      expect(harness.types().indexOf('ErrorFrame')).toBeGreaterThan(harness.types().lastIndexOf('LLMTextFrame'));
    }
    expect(harness.types()[0]).toBe('LLMFullResponseStartFrame');
    expect(harness.types().at(-1)).toBe('LLMFullResponseEndFrame');
    expect(fake.server().requests).toHaveLength(fault.requests);
    await expectNextContextWorks(harness, fake.server());
  });
});

describe('faults that are about time', () => {
  // How long the wait is (the header read, then the wait on the scheduler) is proven in virtual time: `retry-after` parsing
  // in errors.test.ts, the wait itself in marbles/retries. Here: over a real socket, with the wait capped short.
  it('HTTP 429 with retry-after is retried after the wait, then succeeds without duplicate frames', async () => {
    fake.server().enqueue(
      { kind: 'http-error', status: 429, code: 'rate_limit_exceeded', message: 'Slow down', headers: { 'retry-after': '1' } },
      { kind: 'stream', events: textResponse(['after ', 'the wait']) },
    );
    const harness = await runFault(fake.service({ maxRetries: 1, maxRetryAfterMs: 10 }));
    expect(harness.text()).toBe('after the wait');
    expect(harness.count('LLMFullResponseStartFrame')).toBe(1);
    expect(errorFrames(harness.output)).toEqual([]);
    expect(fake.server().requests).toHaveLength(2);
    await expectNextContextWorks(harness, fake.server());
  });

  it('an HTTP error keeps the request id the API sent (x-request-id), as the SDK\'s errors do', async () => {
    fake.server().enqueue({ kind: 'http-error', status: 400, code: 'invalid_request_error', message: 'Bad input' });
    const harness = await runFault(fake.service({ maxRetries: 0 }));
    const [error] = errorFrames(harness.output);
    expect(error?.exception).toBeInstanceOf(LLMRequestError);
    expect((error?.exception as LLMRequestError).requestId).toBe('req_fake_0');
    await expectNextContextWorks(harness, fake.server());
  });

  it('a server that never answers: the completion timeout aborts the socket', async () => {
    fake.server().enqueue({ kind: 'stall' });
    const llm = fake.service({ completionTimeoutMs: 150 });
    const events: string[] = [];
    llm.events$.subscribe((event) => events.push(event.name));
    const harness = await runFault(llm);
    const [error] = errorFrames(harness.output);
    expect(error?.error).toBe('LLM completion timeout: no output within 150 ms (completionTimeoutMs)');
    expect(error?.exception).toBeInstanceOf(LLMTimeoutError);
    expect(events).toEqual(['completionTimeout']);
    await fake.server().waitFor(() => fake.server().abortedConnections === 1);
    await expectNextContextWorks(harness, fake.server());
  });
});
