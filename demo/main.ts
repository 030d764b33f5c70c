/**
 * `npm run demo`: a terminal chat through the library's own operator. With OPENAI_API_KEY set it talks to OpenAI;
 * otherwise it starts the embedded fake model on loopback and says so. Typing while an answer streams interrupts it.
 * Works with piped stdin too: one answer per line, exit 0 at end of input.
 */
import { createInterface } from 'node:readline';
import { Subject, type Subscription } from 'rxjs';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextFrame,
  LLMUpdateSettingsFrame,
  OpenAIResponsesLLMService,
  OpenAIResponsesLLMSettings,
  type Frame,
  type LLMTokenUsage,
} from '../src';
import { fakeModel, FakeResponsesServer } from '../src/testing';

async function main(): Promise<void> {
  const useOpenAI = Boolean(process.env.OPENAI_API_KEY);
  const server = useOpenAI ? undefined : await FakeResponsesServer.start({ fallback: fakeModel() });
  console.log(
    useOpenAI
      ? 'rx-responses demo: streaming from OpenAI (OPENAI_API_KEY is set).'
      : 'rx-responses demo: OPENAI_API_KEY is not set, so answers come from the embedded fake model on loopback.',
  );
  console.log('Type a message and press Enter. Commands: /temperature 0.3, /model gpt-4.1-mini, /quit.');

  const llm = new OpenAIResponsesLLMService({
    ...(server ? { apiKey: 'fake-key', baseURL: server.baseURL } : {}),
    settings: OpenAIResponsesLLMService.Settings({ model: 'gpt-4.1-mini', systemInstruction: 'You are a concise, friendly assistant.' }),
  });
  const context = new LLMContext();
  const input = new Subject<Frame>();
  // The answer being streamed: kept so an interruption can store what was actually said.
  let answer = '';
  // Whether a response is streaming now: a new line then interrupts it.
  let streaming = false;
  let turnDone: () => void = () => {};
  const stats = { ttfb: 0, usage: undefined as LLMTokenUsage | undefined };

  const subscription: Subscription = input.pipe(llm.operator()).subscribe((frame) => {
    switch (frame.type) {
      case 'LLMFullResponseStartFrame':
        streaming = true;
        answer = '';
        process.stdout.write('assistant> ');
        break;
      case 'LLMTextFrame':
        answer += frame.text;
        process.stdout.write(frame.text);
        break;
      case 'MetricsFrame':
        for (const data of frame.data) {
          if (data.kind === 'ttfb') stats.ttfb = data.value;
          if (data.kind === 'usage') stats.usage = data.value;
        }
        break;
      case 'ErrorFrame':
        process.stdout.write(`\n[error] ${frame.error}`);
        break;
      case 'LLMFullResponseEndFrame': {
        streaming = false;
        if (answer) context.addMessage({ role: 'assistant', content: answer });
        const usage = stats.usage;
        const tokens = usage ? `${usage.totalTokens} tokens (${usage.cacheReadInputTokens} cached, ${usage.reasoningTokens} reasoning)` : 'no usage';
        process.stdout.write(`\n  [first token ${(stats.ttfb * 1000).toFixed(0)} ms · ${tokens}]\n`);
        stats.usage = undefined;
        turnDone();
        break;
      }
    }
  });

  const lines = createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true });
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (line === '/quit') break;
    const [command, value] = line.split(/\s+/, 2);
    if (command === '/temperature' || command === '/model') {
      const delta = command === '/model' ? { model: value } : { temperature: Number(value) };
      try {
        input.next(new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings(delta) }));
        console.log(`  [settings: ${command.slice(1)} = ${value}]`);
      } catch (error) {
        console.log(`  [${(error as Error).message}]`);
      }
      continue;
    }
    if (streaming) input.next(new InterruptionFrame());
    context.addUserMessage(line);
    const done = new Promise<void>((resolve) => (turnDone = resolve));
    input.next(new LLMContextFrame({ context }));
    if (!process.stdin.isTTY) await done;
  }
  subscription.unsubscribe();
  await server?.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
