/**
 * The latency section of `npm run bench`, in a process of its own (forked by `bench/main.ts` with the bench's
 * certificate trusted through NODE_EXTRA_CA_CERTS): what a user waits for over TLS and a real round trip, rx-responses
 * beside the openai SDK on the same path, and the handshakes each side paid. Sends its rows to the parent.
 */
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { Subject, type Subscription } from 'rxjs';
import { LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame, type OpenAIResponsesLLMServiceOptions } from '../src';
import { FakeResponsesServer, functionCallResponse, textResponse, type FakeReply, type RecordedRequest } from '../src/testing';
import { startNetworkPath, type NetworkPath } from './network-path';

const { key, cert, halfRoundTripMs, repeats } = JSON.parse(process.env.BENCH_LATENCY ?? '{}') as { key: string; cert: string; halfRoundTripMs: number; repeats: number };
const RTT = 2 * halfRoundTripMs;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const quiet = { warn: () => undefined, error: () => undefined };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TOOLS = [{ type: 'function' as const, name: 'now', parameters: { type: 'object', properties: {} }, strict: false }];
const LONG = textResponse(Array.from({ length: 200 }, (_, index) => `w${index} `));

/** The fake model: a call when asked to call, the result's answer after it, a long paced answer when asked, else a short one. */
function reply(request: RecordedRequest): FakeReply {
  const input = (request.body?.input ?? []) as { type?: string; content?: unknown }[];
  const last = input.at(-1);
  const said = JSON.stringify(last?.content ?? '');
  // The body's end trails the terminal event by a little, as the live API's does.
  const answer = (events: FakeReply & { kind: 'stream' }): FakeReply => ({ ...events, endDelayMs: 2 });
  if (last?.type === 'function_call_output') return answer({ kind: 'stream', events: textResponse(['It is', ' noon.']) });
  if (said.includes('call')) return answer({ kind: 'stream', events: functionCallResponse([{ name: 'now', arguments: {} }]) });
  if (said.includes('long')) return { kind: 'stream', events: LONG, eventDelayMs: 5 };
  return answer({ kind: 'stream', events: textResponse(['Hello', ' there.']) });
}

/** One rx-responses pipeline on a service: each `ask` resolves to the milliseconds until the first text it waits for. */
class RxConversation {
  private readonly input = new Subject<Frame>();
  private readonly context = new LLMContext();
  private readonly subscription: Subscription;
  private waiting: { readonly after: Frame['type'] | undefined; readonly resolve: (at: number) => void; armed: boolean } | undefined;
  private ends = 0;

  constructor(readonly llm: OpenAIResponsesLLMService) {
    llm.registerFunction('now', () => '12:00');
    this.context.setTools(TOOLS);
    this.subscription = this.input.pipe(llm.operator()).subscribe((frame) => this.seen(frame));
  }

  /** Milliseconds from the question to its first text (or, with `after`, from that frame to the next text). */
  async ask(text: string, after?: Frame['type']): Promise<number> {
    const started = performance.now();
    const first = new Promise<number>((resolve) => (this.waiting = { after, resolve, armed: after === undefined }));
    this.context.addUserMessage(text);
    this.input.next(new LLMContextFrame({ context: this.context }));
    const at = await first;
    return at - (after === undefined ? started : this.armedAt);
  }

  /** Resolves once `count` responses ended in all. */
  async endsReach(count: number): Promise<void> {
    while (this.ends < count) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  close(): void {
    this.subscription.unsubscribe();
    this.llm.close();
  }

  private armedAt = 0;

  private seen(frame: Frame): void {
    if (frame.type === 'LLMFullResponseEndFrame') this.ends++;
    const waiting = this.waiting;
    if (!waiting) return;
    if (!waiting.armed && frame.type === waiting.after) {
      waiting.armed = true;
      this.armedAt = performance.now();
    } else if (waiting.armed && frame.type === 'LLMTextFrame') {
      this.waiting = undefined;
      waiting.resolve(performance.now());
    }
  }
}

/** The same conversation with the openai SDK, as an app would write it: stream each response to its end. */
class SdkConversation {
  private readonly input: ResponseInputItem[] = [];

  constructor(private readonly client: OpenAI) {}

  /** Milliseconds from the question to its first text; a call is answered and followed up (then timed from the answer). */
  async ask(text: string, options: { interruptAfterFirstText?: boolean } = {}): Promise<number> {
    this.input.push({ role: 'user', content: text });
    let started = performance.now();
    for (;;) {
      const controller = new AbortController();
      const stream = await this.client.responses.create({ model: 'gpt-4.1', input: [...this.input], tools: TOOLS, stream: true }, { signal: controller.signal });
      let firstText: number | undefined;
      // When the response's terminal event came (the user's wait for a follow-up starts there).
      let completedAt: number | undefined;
      const calls: { call_id: string; name: string; arguments: string }[] = [];
      try {
        for await (const event of stream) {
          if (event.type === 'response.output_text.delta' && firstText === undefined) {
            firstText = performance.now();
            if (options.interruptAfterFirstText) controller.abort();
          }
          if (event.type === 'response.output_item.done' && event.item.type === 'function_call') calls.push(event.item);
          if (event.type === 'response.completed') completedAt = performance.now();
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
      if (calls.length === 0) return firstText! - started;
      for (const call of calls) this.input.push({ type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments });
      for (const call of calls) this.input.push({ type: 'function_call_output', call_id: call.call_id, output: '12:00' });
      // The follow-up is timed from the calling response's terminal event, as rx-responses' is from its End frame.
      started = completedAt ?? performance.now();
    }
  }
}

type Side = 'rx' | 'sdk';

/** A conversation on a fresh path (its own port: an empty connection pool), for one side. */
async function onFreshPath<T>(upstreamPort: number, run: (path: NetworkPath) => Promise<T>): Promise<{ result: T; path: NetworkPath }> {
  const path = await startNetworkPath(upstreamPort, { key, cert }, halfRoundTripMs);
  try {
    return { result: await run(path), path };
  } finally {
    await path.close();
  }
}

const rxService = (path: NetworkPath, options: OpenAIResponsesLLMServiceOptions = {}) =>
  new OpenAIResponsesLLMService({ apiKey: 'sk-bench', baseURL: path.baseURL, maxRetries: 0, logger: quiet, ...options });
const sdkClient = (path: NetworkPath) => new OpenAI({ apiKey: 'sk-bench', baseURL: path.baseURL, maxRetries: 0 });

/** The figures of one scenario over `repeats` fresh paths, per side. */
async function scenario(upstreamPort: number, run: (side: Side, path: NetworkPath) => Promise<number[]>): Promise<Record<Side, number[]>> {
  const figures: Record<Side, number[]> = { rx: [], sdk: [] };
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const side of ['rx', 'sdk'] as const) figures[side].push(...(await onFreshPath(upstreamPort, (path) => run(side, path))).result);
  }
  return figures;
}

async function main(): Promise<void> {
  const server = await FakeResponsesServer.start();
  server.setHandler((request) => {
    server.requests.length = 0;
    return reply(request);
  });
  const port = Number(new URL(server.baseURL).port);
  const rows: string[][] = [];
  const row = (measure: string, figure: string, ratio: string, goal: string) => rows.push([measure, figure, ratio, goal]);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const trips = (value: number) => `${(value / RTT).toFixed(2)} RTT`;
  const versus = (figures: Record<Side, number[]>) => `${ms(median(figures.rx))} vs SDK ${ms(median(figures.sdk))}`;
  const diff = (figures: Record<Side, number[]>) => `${median(figures.rx) - median(figures.sdk) >= 0 ? '+' : ''}${(median(figures.rx) - median(figures.sdk)).toFixed(1)} ms`;

  // One untimed conversation per side first: the first figures must not carry the code's first-run costs.
  for (const transport of ['http', 'websocket'] as const) {
    await onFreshPath(port, async (path) => {
      const conversation = new RxConversation(rxService(path, { transport }));
      await conversation.ask('call now', 'FunctionCallResultFrame');
      await conversation.endsReach(2);
      conversation.close();
      await new SdkConversation(sdkClient(path)).ask('call now');
    });
  }

  for (const transport of ['http', 'websocket'] as const) {
    const label = transport === 'http' ? 'HTTP' : 'WebSocket';
    const rx = (path: NetworkPath, options: OpenAIResponsesLLMServiceOptions = {}) => new RxConversation(rxService(path, { transport, ...options }));
    // The SDK side is its HTTP stream either way: the figure beside ours is what an app writes with the SDK.
    const cold = await scenario(port, async (side, path) => {
      if (side === 'sdk') return [await new SdkConversation(sdkClient(path)).ask('hi')];
      const conversation = rx(path);
      const figure = await conversation.ask('hi');
      conversation.close();
      return [figure];
    });
    row(`9. ${label}: first turn, cold`, versus(cold), trips(median(cold.rx)), 'report (3 RTT: TCP, TLS, request)');
    const warm = await scenario(port, async (side, path) => {
      if (side === 'sdk') return [await new SdkConversation(sdkClient(path)).ask('hi')];
      const conversation = rx(path);
      await conversation.llm.warmUp();
      const figure = await conversation.ask('hi');
      conversation.close();
      return [figure];
    });
    row(`   ${label}: first turn after warmUp()`, `${ms(median(warm.rx))} (SDK cold ${ms(median(warm.sdk))})`, trips(median(warm.rx)), '<= 1.3 RTT + server');
    // A user's next turn comes after a pause (here 20 ms, on both sides): the previous answer is over by then.
    const later = await scenario(port, async (side, path) => {
      const figures: number[] = [];
      if (side === 'sdk') {
        const conversation = new SdkConversation(sdkClient(path));
        await conversation.ask('hi');
        for (let turn = 0; turn < 4; turn++) {
          await pause(20);
          figures.push(await conversation.ask(`again ${turn}`));
        }
        return figures;
      }
      const conversation = rx(path);
      await conversation.ask('hi');
      for (let turn = 0; turn < 4; turn++) {
        await conversation.endsReach(turn + 1);
        await pause(20);
        figures.push(await conversation.ask(`again ${turn}`));
      }
      conversation.close();
      return figures;
    });
    row(`   ${label}: later turns`, versus(later), diff(later), '<= +2 ms');
    const followUp = await scenario(port, async (side, path) => {
      if (side === 'sdk') {
        const conversation = new SdkConversation(sdkClient(path));
        await conversation.ask('hi');
        return [await conversation.ask('call now')];
      }
      const conversation = rx(path);
      await conversation.ask('hi');
      await conversation.endsReach(1);
      const figure = await conversation.ask('call now', 'LLMFullResponseEndFrame');
      conversation.close();
      return [figure];
    });
    row(`   ${label}: function-call follow-up`, versus(followUp), diff(followUp), '<= +2 ms');
    const resend = await scenario(port, async (side, path) => {
      if (side === 'sdk') {
        const conversation = new SdkConversation(sdkClient(path));
        await conversation.ask('long story', { interruptAfterFirstText: true });
        return [await conversation.ask('hi')];
      }
      const conversation = rx(path);
      await conversation.ask('long story');
      // The user speaks: a newer context cancels the answer in flight.
      const figure = await conversation.ask('hi');
      conversation.close();
      return [figure];
    });
    row(`   ${label}: resend after an interruption`, versus(resend), trips(median(resend.rx)), 'report');
    // One sequential conversation of ten requests (turns, a call and its follow-up): the handshakes each side paid.
    const paid: Record<Side, string> = { rx: '', sdk: '' };
    for (const side of ['rx', 'sdk'] as const) {
      const { path } = await onFreshPath(port, async (path) => {
        if (side === 'sdk') {
          const conversation = new SdkConversation(sdkClient(path));
          for (const text of ['hi', 'again', 'call now', 'again', 'again', 'call now', 'again', 'again']) await conversation.ask(text);
          return;
        }
        const conversation = rx(path);
        let ends = 0;
        for (const text of ['hi', 'again', 'call now', 'again', 'again', 'call now', 'again', 'again']) {
          await conversation.ask(text);
          ends += text === 'call now' ? 2 : 1;
          await conversation.endsReach(ends);
        }
        conversation.close();
      });
      paid[side] = `${path.counts.tcp} TCP, ${path.counts.tls} TLS${path.counts.resumed ? ` (+${path.counts.resumed} resumed)` : ''}`;
    }
    row(`   ${label}: handshakes, 10 requests in a row`, `${paid.rx} vs SDK ${paid.sdk}`, '', transport === 'http' ? '<= 1 TCP' : 'report');
  }
  await server.close();
  process.send!(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
