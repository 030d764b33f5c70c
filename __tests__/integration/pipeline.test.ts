import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMUpdateSettingsFrame,
  OpenAIResponsesLLMSettings,
  pipeline,
  PipelineTask,
  RxResponsesError,
  TextFrame,
  type Frame,
} from '../../src';
import { functionCallResponse, textResponse } from '../../src/testing';
import { useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-test-pipeline');

function runTask(task: PipelineTask) {
  const frames: Frame[] = [];
  task.frames$.subscribe((frame) => frames.push(frame));
  const ends = () => frames.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length;
  const waitForEnds = (count: number) => fake.server().waitFor(() => ends() >= count);
  return { frames, waitForEnds };
}

describe('a whole pipeline: user aggregator → LLM → assistant aggregator', () => {
  it('keeps a multi-turn conversation with a tool call; the third request carries the whole history', async () => {
    const server = fake.server();
    server.enqueue(
      { kind: 'stream', events: functionCallResponse([{ name: 'get_current_time', arguments: {}, callId: 'call_time' }]) },
      { kind: 'stream', events: textResponse(['It is ', 'noon.']) },
      { kind: 'stream', events: textResponse('You are welcome.') },
    );
    const llm = fake.service();
    llm.registerFunction('get_current_time', () => '12:00');
    const pair = new LLMContextAggregatorPair(new LLMContext([{ role: 'system', content: 'Be brief.' }], [{ type: 'function', name: 'get_current_time' }]));
    const task = new PipelineTask(pipeline(pair.user(), llm.operator(), pair.assistant()));
    const { waitForEnds } = runTask(task);

    await task.queueFrame(new TextFrame({ text: 'What time is it?' }));
    await waitForEnds(2);
    await task.queueFrame(new TextFrame({ text: 'Thanks!' }));
    await waitForEnds(3);

    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]?.body?.input).toEqual([
      { type: 'message', role: 'system', content: 'Be brief.' },
      { type: 'message', role: 'user', content: 'What time is it?' },
      { type: 'function_call', call_id: 'call_time', name: 'get_current_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_time', output: '12:00' },
      { type: 'message', role: 'assistant', content: 'It is noon.' },
      { type: 'message', role: 'user', content: 'Thanks!' },
    ]);
    expect(pair.context.messages.at(-1)).toEqual({ role: 'assistant', content: 'You are welcome.' });
    await task.end();
  });

  it('queueFrame after end() or cancel() rejects with a typed error saying so, and sends nothing', async () => {
    const server = fake.server();
    for (const stop of ['end()', 'cancel()'] as const) {
      const task = new PipelineTask(pipeline(new LLMContextAggregatorPair(new LLMContext()).user(), fake.service().operator()));
      if (stop === 'end()') await task.end();
      else task.cancel();
      const queued = task.queueFrame(new TextFrame({ text: 'Hello?' }));
      await expect(queued).rejects.toBeInstanceOf(RxResponsesError);
      await expect(queued).rejects.toThrow(`PipelineTask.queueFrame() after ${stop}: the task takes no more frames`);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('the page example works as written: task.queueFrame(new LLMUpdateSettingsFrame({ delta }))', async () => {
    const llm = fake.service();
    const pair = new LLMContextAggregatorPair();
    const task = new PipelineTask(pipeline(pair.user(), llm.operator(), pair.assistant()));
    const { waitForEnds } = runTask(task);
    await task.queueFrame(new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings({ temperature: 0.3, maxCompletionTokens: 500 }) }));
    await task.queueFrames([new TextFrame({ text: 'Hi' })]);
    await waitForEnds(1);
    expect(fake.server().requests[0]?.body).toMatchObject({ temperature: 0.3, max_output_tokens: 500 });
    await task.end();
  });

  it('an interruption mid-answer keeps only what was said in the context and aborts the request', async () => {
    const server = fake.server();
    server.enqueue({ kind: 'stream', events: textResponse(['Once ', 'upon ', 'a time']), stallAfter: 5 });
    const llm = fake.service();
    const pair = new LLMContextAggregatorPair();
    const task = new PipelineTask(pipeline(pair.user(), llm.operator(), pair.assistant()));
    const { frames } = runTask(task);
    await task.queueFrame(new TextFrame({ text: 'Tell me a story' }));
    await server.waitFor(() => frames.some((frame) => frame.type === 'LLMTextFrame'));
    await task.queueFrame(new InterruptionFrame());
    await server.waitFor(() => server.abortedConnections === 1);
    // What the user heard stays, marked as the partial answer it is (with the API's id of its output item).
    expect(pair.context.messages).toEqual([
      { role: 'user', content: 'Tell me a story' },
      { role: 'assistant', content: 'Once ', status: 'incomplete', itemId: expect.stringMatching(/^msg_/) },
    ]);
    task.cancel();
  });

  it('end() lets the answer in flight finish; cancel() aborts it', async () => {
    const server = fake.server();
    server.enqueue({ kind: 'stream', events: textResponse(['a', 'b']), eventDelayMs: 5 }, { kind: 'stall' });
    const llm = fake.service();
    const first = new PipelineTask(pipeline(new LLMContextAggregatorPair().user(), llm.operator()));
    const { frames } = runTask(first);
    await first.queueFrame(new TextFrame({ text: 'x' }));
    await first.end();
    expect(frames.filter((frame) => frame.type === 'LLMTextFrame').map((frame) => frame.type === 'LLMTextFrame' && frame.text)).toEqual(['a', 'b']);

    const second = new PipelineTask(pipeline(new LLMContextAggregatorPair().user(), llm.operator()));
    let completed = false;
    second.frames$.subscribe({ complete: () => (completed = true) });
    await second.queueFrame(new TextFrame({ text: 'y' }));
    await server.waitFor(() => server.requests.length === 2);
    second.cancel();
    await server.waitFor(() => server.abortedConnections === 1);
    expect(completed).toBe(true);
  });
});

describe('the demo', () => {
  it('runs end to end with piped stdin against the embedded fake model and exits 0', async () => {
    const root = join(__dirname, '..', '..');
    const env = { ...process.env };
    delete env.OPENAI_API_KEY;
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'demo/main.ts'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end('Hello there\nwhat is 12 * 7?\n/temperature 0.3\n/temperature 9\nwhat time is it?\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('rx-responses demo: OPENAI_API_KEY is not set, so answers come from the embedded fake model on loopback.');
    expect(stdout).toContain('assistant> You said: "Hello there".');
    expect(stdout).toContain('[calling calculate({"expression":"12 * 7"})]');
    expect(stdout).toContain('assistant> The tool says: 12 * 7 = 84.');
    expect(stdout).toContain('[settings: temperature = 0.3]');
    expect(stdout).toContain('[Invalid setting "temperature": expected a number from 0 to 2, or null, got 9]');
    expect(stdout).toMatch(/\[calling get_current_time\(\{\}\)\]\nassistant> The tool says: \d{4}-\d\d-\d\dT/);
    expect(stdout.match(/\[first text \d+ ms · \d+ tokens \(\d+ cached, 0 reasoning\)/g)).toHaveLength(3);
  }, 60_000);
});
