/**
 * `npm run demo`: a terminal chat built from the library's own pieces (user aggregator → LLM → assistant aggregator).
 * With OPENAI_API_KEY set it talks to OpenAI; otherwise it starts the embedded fake model on loopback and says so.
 * Typing while an answer streams interrupts it (the request is aborted). Works with piped stdin: one answer per line,
 * exit 0 at the end of input.
 */
import { clearLine, createInterface, emitKeypressEvents, moveCursor } from 'node:readline';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMUpdateSettingsFrame,
  OpenAIResponsesLLMService,
  OpenAIResponsesLLMSettings,
  pipeline,
  PipelineTask,
  TextFrame,
  type Frame,
  type LLMTokenUsage,
} from '../src';
import { fakeModel, FakeResponsesServer } from '../src/testing';
import { calculate, demoTools, getCurrentTime, lookUpOrder, orderTool } from './tools';

const SETTINGS_COMMANDS: Record<string, (value: string) => Parameters<typeof OpenAIResponsesLLMSettings>[0]> = {
  '/temperature': (value) => ({ temperature: Number(value) }),
  '/model': (value) => ({ model: value }),
  '/max-tokens': (value) => ({ maxCompletionTokens: Number(value) }),
};

async function main(): Promise<void> {
  const useOpenAI = Boolean(process.env.OPENAI_API_KEY);
  const server = useOpenAI ? undefined : await FakeResponsesServer.start({ fallback: fakeModel() });
  console.log(
    useOpenAI
      ? 'rx-responses demo: streaming from OpenAI (OPENAI_API_KEY is set).'
      : 'rx-responses demo: OPENAI_API_KEY is not set, so answers come from the embedded fake model on loopback.',
  );
  console.log(HELP);

  const llm = new OpenAIResponsesLLMService({
    ...(server ? { apiKey: 'fake-key', baseURL: server.baseURL } : {}),
    settings: OpenAIResponsesLLMService.Settings({ model: 'gpt-4.1-mini', systemInstruction: 'You are a concise, friendly assistant.' }),
  });
  llm.registerFunction('get_current_time', getCurrentTime);
  llm.registerFunction('calculate', calculate);
  // A slow lookup that survives barge-in: interrupt the answer and it still lands, and the assistant speaks again.
  llm.registerFunction('look_up_order', lookUpOrder, { cancelOnInterruption: false });

  const pair = new LLMContextAggregatorPair(new LLMContext([], [...demoTools, orderTool]));
  const task = new PipelineTask(pipeline(pair.user(), llm.operator(), pair.assistant()));
  const turn = new TurnPrinter();
  task.frames$.subscribe((frame) => turn.print(frame));

  const tty = process.stdin.isTTY === true;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, prompt: 'you> ' });
  // The prompt comes back whenever an answer is over, so what you type is always on a line of its own. It keeps what
  // was typed so far, cursor included (the key that interrupted an answer is the first letter of the next line).
  const prompt = () => tty && lines.prompt(true);
  turn.onIdle = prompt;
  prompt();
  if (process.stdin.isTTY) {
    // A voice agent stops talking when the user starts: here, at the first key typed while an answer streams.
    emitKeypressEvents(process.stdin);
    process.stdin.on('keypress', (text: string | undefined, key: { ctrl?: boolean; meta?: boolean } | undefined) => {
      // Ctrl-D (and other control keys) do not interrupt: Ctrl-D lets the answer finish, then ends the demo.
      if (key?.ctrl || key?.meta) return;
      if (!turn.busy || turn.interrupted) return;
      // readline has echoed a typed character after the streamed text: take it back, the prompt's line shows it again.
      if (text && /^[^\p{Cc}]$/u.test(text)) {
        moveCursor(process.stdout, -1, 0);
        clearLine(process.stdout, 1);
      }
      void task.queueFrame(new InterruptionFrame());
    });
  }
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      if (!turn.busy) prompt();
      continue;
    }
    if (line === '/quit') break;
    if (line === '/help') {
      console.log(HELP);
      prompt();
      continue;
    }
    if (line === '/history') {
      for (const message of pair.context.messages) console.log(`  ${message.role}: ${JSON.stringify('content' in message ? message.content : '')}${'tool_calls' in message && message.tool_calls ? ` ${message.tool_calls.map((call) => (call.type === 'custom' ? call.custom.name : call.function.name)).join(', ')}()` : ''}`);
      continue;
    }
    const [command = '', value = ''] = line.split(/\s+/, 2);
    const toDelta = SETTINGS_COMMANDS[command];
    if (toDelta) {
      try {
        await task.queueFrame(new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings(toDelta(value)) }));
        console.log(`  [settings: ${command.slice(1)} = ${value}]`);
      } catch (error) {
        console.log(`  [${(error as Error).message}]`);
      }
      if (!turn.busy) prompt();
      continue;
    }
    if (line.startsWith('/')) {
      console.log(`  [unknown command ${line.split(/\s+/)[0]}: /help lists them]`);
      if (!turn.busy) prompt();
      continue;
    }
    if (turn.busy) await task.queueFrame(new InterruptionFrame());
    const done = turn.next();
    await task.queueFrame(new TextFrame({ text: line }));
    if (!process.stdin.isTTY) await done;
  }
  // End of input (Ctrl-D, or the end of piped lines): let the answer in progress finish, then leave cleanly: nothing may
  // keep the process alive (the keypress listener holds stdin open, in raw mode on a terminal).
  await turn.idle();
  if (tty) console.log('\nbye');
  lines.close();
  process.stdin.removeAllListeners('keypress');
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
  task.cancel();
  llm.close();
  await server?.close();
}

const HELP = [
  'Ask anything: try "what time is it?", "what is 12 * 7?" or "where is my order 5678?".',
  'Type while an answer streams to interrupt it (the order lookup survives an interruption and answers later).',
  'Commands: /temperature 0.3, /model gpt-4.1-mini, /max-tokens 200, /history, /help, /quit; Ctrl-D ends after the current answer.',
].join('\n');

/** Prints a turn as it streams, then one summary line: time to first token, tokens, tools used. */
class TurnPrinter {
  /** Whether an answer is being produced (text streaming or tools running). */
  busy = false;
  /** Whether the current answer was interrupted already. */
  interrupted = false;
  /** Called when an answer is over (the prompt comes back). */
  onIdle: () => void = () => {};
  /** Whether a usage metric arrived this turn (an interrupted answer has none). */
  private usageSeen = false;
  /** Resolves the promise `next()` returned, when the turn's last response ends. */
  private finish: () => void = () => {};
  /** What the summary line reports. */
  private ttfbSeconds: number | undefined;
  private usage: LLMTokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reasoningTokens: 0 };
  private tools: string[] = [];
  /** Whether the last response ended with calls the service runs, so another response follows (End's `textInContext`). */
  private followUp = false;
  /** Whether a response is open (between its Start and End). */
  private inResponse = false;
  /** Whether the current response printed text (the prompt comes before its first word). */
  private printedText = false;

  /** Resolves when no answer is in progress. */
  idle(): Promise<void> {
    return this.busy ? new Promise((resolve) => (this.finish = resolve)) : Promise.resolve();
  }

  next(): Promise<void> {
    this.busy = true;
    this.interrupted = false;
    this.usageSeen = false;
    this.ttfbSeconds = undefined;
    this.usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reasoningTokens: 0 };
    this.tools = [];
    return new Promise((resolve) => (this.finish = resolve));
  }

  print(frame: Frame): void {
    switch (frame.type) {
      case 'LLMFullResponseStartFrame':
        // A response nobody typed for: a tool that outlived an interruption answered, and the model speaks again.
        if (!this.busy) void this.next();
        this.followUp = false;
        this.inResponse = true;
        this.printedText = false;
        break;
      case 'LLMTextFrame':
        if (!this.printedText) process.stdout.write('assistant> ');
        this.printedText = true;
        process.stdout.write(frame.text);
        break;
      case 'FunctionCallInProgressFrame':
        this.tools.push(frame.functionName);
        process.stdout.write(`  [calling ${frame.functionName}(${JSON.stringify(frame.arguments)})]\n`);
        break;
      case 'MetricsFrame':
        for (const data of frame.data) {
          // The time to the first text of the answer (TTFAT): what a listener waits for.
          if (data.kind === 'ttfat') this.ttfbSeconds ??= data.value;
          if (data.kind === 'usage') {
            this.usageSeen = true;
            this.usage = addUsage(this.usage, data.value);
          }
        }
        break;
      case 'LLMThoughtStartFrame':
        process.stdout.write('  [thinking…]\n');
        break;
      case 'HostedToolCallFrame':
        process.stdout.write(`  [${frame.tool} ${frame.status}]\n`);
        break;
      case 'FunctionCallCancelFrame':
        process.stdout.write(`  [cancelled ${frame.functionName}]\n`);
        break;
      case 'FunctionCallResultFrame':
        if (!this.busy) process.stdout.write(`  [${frame.functionName} answered in the background: ${JSON.stringify(frame.result)}]\n`);
        break;
      case 'ErrorFrame':
        process.stdout.write(`  [error: ${frame.error}]\n`);
        // A failure after the calls (the follow-up limit): no response follows.
        if (this.followUp && !this.inResponse) this.done();
        break;
      case 'InterruptionFrame':
        this.interrupted = true;
        if (this.printedText) process.stdout.write('\n');
        process.stdout.write('  [interrupted: the partial answer stays in the history]\n');
        this.done();
        break;
      case 'LLMFullResponseEndFrame':
        if (this.printedText) process.stdout.write('\n');
        this.inResponse = false;
        // A response whose calls the service runs says so on its End (`textInContext`): the turn goes on after them. Look
        // once this moment's frames are through: a cancelled response's End comes just before the InterruptionFrame.
        this.followUp = frame.textInContext;
        queueMicrotask(() => {
          if (!this.followUp && !this.inResponse) this.done();
        });
        break;
    }
  }

  private done(): void {
    if (!this.busy) return;
    this.busy = false;
    const ttfb = this.ttfbSeconds === undefined ? 'no text' : `first text ${Math.round(this.ttfbSeconds * 1000)} ms`;
    const { totalTokens, cacheReadInputTokens, reasoningTokens } = this.usage;
    // An interrupted answer has no usage report: say so rather than print zeros.
    const tokens = this.usageSeen ? `${totalTokens} tokens (${cacheReadInputTokens} cached, ${reasoningTokens} reasoning)` : 'no usage reported (interrupted)';
    const tools = this.tools.length ? ` · tools: ${this.tools.join(', ')}` : '';
    process.stdout.write(`  [${ttfb} · ${tokens}${tools}]\n`);
    this.finish();
    this.onIdle();
  }
}

function addUsage(a: LLMTokenUsage, b: LLMTokenUsage): LLMTokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
