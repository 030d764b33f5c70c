/**
 * `npm run bench`: side-by-side figures on one local fake server, in one run (not a test: it asserts nothing).
 * 1. throughput: a long text response through the whole operator vs iterating the openai SDK's own stream;
 * 2. time to first text frame vs the SDK's first delta;
 * 3. interruption -> the server sees the socket close.
 */
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { filter, firstValueFrom, lastValueFrom, of, Subject, toArray } from 'rxjs';
import { InterruptionFrame, LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame } from '../src';
import { FakeResponsesServer, textResponse } from '../src/testing';

const DELTAS = Number(process.env.BENCH_DELTAS ?? 20_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 7);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))]!;

async function main(): Promise<void> {
  const long = textResponse(Array.from({ length: DELTAS }, (_, index) => `t${index % 10} `));
  const short = textResponse(['Hello', ' world']);
  const server = await FakeResponsesServer.start();
  const client = new OpenAI({ apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 });
  const llm = new OpenAIResponsesLLMService({ client, logger: { warn: () => {}, error: () => {} } });
  const context = new LLMContext([{ role: 'user', content: 'bench' }]);
  const request = { model: 'gpt-4.1', input: 'bench', stream: true as const };

  const operatorRun = async () => {
    const started = performance.now();
    await lastValueFrom(of<Frame>(new LLMContextFrame({ context })).pipe(llm.operator(), toArray()));
    return performance.now() - started;
  };
  const sdkRun = async () => {
    const started = performance.now();
    const stream = await client.responses.create(request);
    for await (const event of stream) if (event.type === 'response.output_text.delta') void event.delta;
    return performance.now() - started;
  };

  // 1. Throughput, alternating pairs so drift hits both sides alike.
  server.setHandler(() => ({ kind: 'stream', events: long }));
  await operatorRun();
  await sdkRun();
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    ours.push(await operatorRun());
    theirs.push(await sdkRun());
  }

  // 2. Time to first text.
  server.setHandler(() => ({ kind: 'stream', events: short }));
  const firstOurs: number[] = [];
  const firstTheirs: number[] = [];
  for (let pair = 0; pair < 21; pair++) {
    let started = performance.now();
    await firstValueFrom(of<Frame>(new LLMContextFrame({ context })).pipe(llm.operator(), filter((frame) => frame.type === 'LLMTextFrame')));
    firstOurs.push(performance.now() - started);
    started = performance.now();
    const stream = await client.responses.create(request);
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        firstTheirs.push(performance.now() - started);
        stream.controller.abort();
        break;
      }
    }
  }

  // 3. Interruption -> socket closed at the server.
  server.setHandler(() => ({ kind: 'stream', events: short, stallAfter: 5 }));
  const closeLatency: number[] = [];
  for (let cycle = 0; cycle < 100; cycle++) {
    const aborted = server.abortedConnections;
    const input = new Subject<Frame>();
    const textSeen = firstValueFrom(input.pipe(llm.operator(), filter((frame) => frame.type === 'LLMTextFrame')));
    input.next(new LLMContextFrame({ context }));
    await textSeen;
    const started = performance.now();
    input.next(new InterruptionFrame());
    // Poll on every turn of the event loop: a timer-based wait would add its own interval to the figure.
    while (server.abortedConnections === aborted) await new Promise((resolve) => setImmediate(resolve));
    closeLatency.push(performance.now() - started);
    input.complete();
  }
  await server.waitFor(() => server.activeReplies === 0, 5000);

  const rows = [
    ['throughput (ms per response)', `${median(ours).toFixed(1)} vs SDK ${median(theirs).toFixed(1)}`, `${(median(ours) / median(theirs)).toFixed(2)}x`, 'goal <= 0.30x (issue 8)'],
    ['time to first text (ms)', `${median(firstOurs).toFixed(2)} vs SDK ${median(firstTheirs).toFixed(2)}`, `+${(median(firstOurs) - median(firstTheirs)).toFixed(2)} ms`, 'goal <= +0.5 ms'],
    ['interruption -> socket closed (ms)', `median ${median(closeLatency).toFixed(2)}, p95 ${p95(closeLatency).toFixed(2)}`, '', 'goal median <= 1, p95 <= 3'],
    ['replies left open after 100 interruptions', String(server.activeReplies), '', 'goal 0'],
  ];
  console.log(`rx-responses bench: ${DELTAS} deltas, ${PAIRS} alternating pairs, node ${process.version}`);
  for (const row of rows) console.log(row.map((cell, index) => cell.padEnd([44, 34, 12, 0][index]!)).join(''));
  await server.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
