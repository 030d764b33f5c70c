/**
 * `npm run bench`: side-by-side figures on one local fake server, in one run. Not a test: it asserts nothing.
 * Each measure puts rx-responses beside iterating the openai SDK's own stream against the same server.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { createParser } from 'eventsource-parser';
import { filter, firstValueFrom, ignoreElements, lastValueFrom, of, Subject } from 'rxjs';
import { InterruptionFrame, LLMContext, LLMContextFrame, OpenAILLMService, OpenAIResponsesLLMService, type Frame } from '../src';
import { FakeResponsesServer, textResponse } from '../src/testing';
import { Utf8Chunks } from '../src/services/openai/utf8-chunks';
import { profileSelfTime } from './profile';
import { bytesPerTurn } from './bytes';
import { makeCertificate } from './network-path';
import { soak } from './soak';
import type { ServerCounts } from './server-process';

const DELTAS = Number(process.env.BENCH_DELTAS ?? 20_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 7);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 1_000);
const SOAK_TURNS = Number(process.env.BENCH_SOAK_TURNS ?? 10_000);
/** Half the round trip the latency section's proxy adds (each way), and how many fresh paths each of its figures takes. */
const HALF_RTT_MS = Number(process.env.BENCH_HALF_RTT_MS ?? 15);
const LATENCY_REPEATS = Number(process.env.BENCH_LATENCY_REPEATS ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))]!;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
/** Memory outside the JS heap held by ArrayBuffers (socket chunks, body buffers). */
const arrayBuffersUsed = () => {
  gc();
  return process.memoryUsage().arrayBuffers;
};
const tick = () => new Promise((resolve) => setImmediate(resolve));
const rows: string[][] = [];
const row = (measure: string, figure: string, ratio: string, goal: string) => rows.push([measure, figure, ratio, goal]);

async function main(): Promise<void> {
  const server = await FakeResponsesServer.start();
  const client = new OpenAI({ apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 });
  const llm = new OpenAIResponsesLLMService({ client, logger: { warn: () => {}, error: () => {} } });
  const context = new LLMContext([{ role: 'user', content: 'bench' }]);
  const request = { model: 'gpt-4.1', input: 'bench', stream: true as const };
  const contextFrame = () => new LLMContextFrame({ context });
  const operatorRun = () => lastValueFrom(of<Frame>(contextFrame()).pipe(llm.operator(), ignoreElements()), { defaultValue: undefined });
  const sdkRun = async () => {
    const stream = await client.responses.create(request);
    for await (const event of stream) if (event.type === 'response.output_text.delta') void event.delta;
  };
  // The parse floor: the body read, decoded and parsed as a plain reader writes it, nothing else.
  const parserOnlyRun = async () => {
    const decoder = new TextDecoder();
    await parseBody((value) => decoder.decode(value, { stream: true }));
  };
  // The same with the operator's decoding (see Utf8Chunks): what is left over it is the operator's own work.
  const decodedAsOursRun = async () => {
    const text = new Utf8Chunks();
    await parseBody((value) => text.decode(value));
  };
  const parseBody = async (decode: (value: Uint8Array) => string) => {
    const response = await client.responses.create(request).asResponse();
    const reader = response.body!.getReader();
    const parser = createParser({ onEvent: (message) => void JSON.parse(message.data) });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decode(value));
    }
  };
  const timed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };

  // 1. Throughput: alternating pairs, so drift hits both sides alike.
  server.setHandler(() => ({ kind: 'stream', events: longAnswer }));
  const longAnswer = textResponse(Array.from({ length: DELTAS }, (_, index) => `t${index % 10} `));
  for (let warm = 0; warm < 2; warm++) await Promise.all([timed(operatorRun), timed(sdkRun), timed(parserOnlyRun), timed(decodedAsOursRun)].map((p) => p));
  const ours: number[] = [];
  const theirs: number[] = [];
  const floor: number[] = [];
  const decodedAsOurs: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    ours.push(await timed(operatorRun));
    theirs.push(await timed(sdkRun));
    floor.push(await timed(parserOnlyRun));
    decodedAsOurs.push(await timed(decodedAsOursRun));
  }
  row('1. throughput, one response', `${median(ours).toFixed(1)} ms vs SDK ${median(theirs).toFixed(1)} ms`, ratio(median(ours), median(theirs)), '<= 0.20x');
  const ownMicros = ((median(ours) - median(decodedAsOurs)) * 1000) / DELTAS;
  row('   where it goes: read + parse (floor)', `${median(floor).toFixed(1)} ms`, ratio(median(floor), median(theirs)), '');
  row('   the operator over the floor', `${median(ours).toFixed(1)} ms vs ${median(floor).toFixed(1)} ms`, ratio(median(ours), median(floor)), '<= 1.10x');
  row('   over the floor decoded as it decodes', `${median(ours).toFixed(1)} ms vs ${median(decodedAsOurs).toFixed(1)} ms`, ratio(median(ours), median(decodedAsOurs)), 'report');
  row('   where it goes: operator and frames', `${ownMicros.toFixed(2)} µs per delta`, '', '');
  const profile = await profileSelfTime(async () => {
    for (let run = 0; run < 3; run++) await operatorRun();
  });

  // 2. Time to first text frame vs the SDK's first delta.
  server.setHandler(() => ({ kind: 'stream', events: textResponse(['Hello', ' world']) }));
  const firstOurs: number[] = [];
  const firstTheirs: number[] = [];
  for (let pair = 0; pair < 31; pair++) {
    firstOurs.push(await timed(() => firstValueFrom(of<Frame>(contextFrame()).pipe(llm.operator(), filter((frame) => frame.type === 'LLMTextFrame')))));
    firstTheirs.push(
      await timed(async () => {
        const stream = await client.responses.create(request);
        for await (const event of stream) if (event.type === 'response.output_text.delta') break;
      }),
    );
  }
  row('2. time to first text', `${median(firstOurs).toFixed(2)} ms vs SDK ${median(firstTheirs).toFixed(2)} ms`, `+${(median(firstOurs) - median(firstTheirs)).toFixed(2)} ms`, '<= +0.5 ms');

  // 3. Interruption -> the server sees the socket close.
  server.setHandler(() => ({ kind: 'stream', events: textResponse(['Hello', ' world']), stallAfter: 5 }));
  const closeLatency: number[] = [];
  for (let cycle = 0; cycle < 200; cycle++) closeLatency.push(await interruptOnce(llm, contextFrame, server));
  row('3. interruption -> socket closed', `median ${median(closeLatency).toFixed(2)} ms, p95 ${p95(closeLatency).toFixed(2)} ms`, '', 'median <= 1 ms, p95 <= 3 ms');

  // 4. Many sessions at once: total time, then heap per session while all are open.
  server.setHandler(() => ({ kind: 'stream', events: mediumAnswer }));
  const mediumAnswer = textResponse(Array.from({ length: 200 }, (_, index) => `w${index} `));
  const allOurs = await timed(() => Promise.all(Array.from({ length: SESSIONS }, operatorRun)));
  const allTheirs = await timed(() => Promise.all(Array.from({ length: SESSIONS }, sdkRun)));
  row(`4. ${SESSIONS} sessions streaming at once`, `${allOurs.toFixed(0)} ms vs SDK ${allTheirs.toFixed(0)} ms`, ratio(allOurs, allTheirs), 'report');
  // Memory per open session: the server runs in a process of its own (its idle sockets close at once, so each side
  // pays for its own), so what is measured here is the client's alone; the sides alternate over rounds.
  const heapServer = await startServerProcess();
  // The streaming run above left idle keep-alive sockets on both sides; their release must not land in a measurement.
  await server.waitFor(() => server.openSockets === 0, 30_000);
  const heapClient = new OpenAI({ apiKey: 'bench', baseURL: heapServer.baseURL, maxRetries: 0 });
  const heapLlm = new OpenAIResponsesLLMService({ client: heapClient, logger: { warn: () => {}, error: () => {} } });
  const openOurs = () => {
    const input = new Subject<Frame>();
    const subscription = input.pipe(heapLlm.operator()).subscribe();
    input.next(contextFrame());
    return () => subscription.unsubscribe();
  };
  const openTheirs = () => {
    const controller = new AbortController();
    void (async () => {
      const stream = await heapClient.responses.create(request, { signal: controller.signal });
      for await (const event of stream) void event;
    })().catch(() => undefined);
    return () => controller.abort();
  };
  const memoryOurs: SessionMemory[] = [];
  const memoryTheirs: SessionMemory[] = [];
  // A first round of each side is not counted: it pays for lazy setup (pools, caches) the others reuse.
  await memoryPerSession(heapServer, SESSIONS, openOurs);
  await memoryPerSession(heapServer, SESSIONS, openTheirs);
  for (let round = 0; round < 3; round++) {
    memoryOurs.push(await memoryPerSession(heapServer, SESSIONS, openOurs));
    memoryTheirs.push(await memoryPerSession(heapServer, SESSIONS, openTheirs));
  }
  heapServer.close();
  const heapOurs = median(memoryOurs.map((memory) => memory.heap));
  const heapTheirs = median(memoryTheirs.map((memory) => memory.heap));
  row('   heap per open session (client, median of 3)', `${kib(heapOurs)} vs SDK ${kib(heapTheirs)}`, ratio(heapOurs, heapTheirs), '<= 1.1x');
  const buffersOurs = median(memoryOurs.map((memory) => memory.arrayBuffers));
  const buffersTheirs = median(memoryTheirs.map((memory) => memory.arrayBuffers));
  row('   + array buffers per open session', `${kib(buffersOurs)} vs SDK ${kib(buffersTheirs)}`, '', 'report');

  // 5. Interruption cycles: nothing left open, heap back where it started.
  server.setHandler(() => ({ kind: 'stream', events: textResponse(['Hello', ' world']), stallAfter: 5 }));
  for (let warm = 0; warm < 50; warm++) await interruptOnce(llm, contextFrame, server);
  // No idle socket may close during the cycles: its release would count as a shrinking heap.
  await server.waitFor(() => server.openSockets === 0, 30_000);
  // The server records every request (~1.4 KiB each): that is the test server's memory, not the client's.
  server.requests.length = 0;
  const heapBefore = heapUsed();
  for (let cycle = 0; cycle < CYCLES; cycle++) await interruptOnce(llm, contextFrame, server);
  await server.waitFor(() => server.activeReplies === 0);
  server.requests.length = 0;
  const heapAfter = heapUsed();
  row(`5. ${CYCLES} interruption cycles`, `${server.activeReplies} replies open, heap ${signedPercent(heapAfter / heapBefore - 1)}`, '', '0 open, heap within 5%');

  // 6. Chat Completions: the same long answer through OpenAILLMService vs iterating the SDK's chat stream.
  const chatLlm = new OpenAILLMService({ client, logger: { warn: () => {}, error: () => {} } });
  const chatRequest = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'bench' }], stream: true as const };
  const chatOperatorRun = () => lastValueFrom(of<Frame>(contextFrame()).pipe(chatLlm.operator(), ignoreElements()), { defaultValue: undefined });
  const chatSdkRun = async () => {
    const stream = await client.chat.completions.create(chatRequest);
    for await (const chunk of stream) void chunk.choices[0]?.delta?.content;
  };
  server.setHandler(() => ({ kind: 'stream', events: longAnswer }));
  for (let warm = 0; warm < 2; warm++) {
    await timed(chatOperatorRun);
    await timed(chatSdkRun);
  }
  const chatOurs: number[] = [];
  const chatTheirs: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    chatOurs.push(await timed(chatOperatorRun));
    chatTheirs.push(await timed(chatSdkRun));
  }
  row('6. Chat Completions throughput', `${median(chatOurs).toFixed(1)} ms vs SDK ${median(chatTheirs).toFixed(1)} ms`, ratio(median(chatOurs), median(chatTheirs)), '<= 0.30x');

  // 7. Bytes sent per turn over a 20-turn conversation with tools.
  const bytes = await bytesPerTurn();
  row('7. request bytes per turn, 20 turns with tools', `HTTP ${kib(bytes.http)}, WebSocket ${kib(bytes.websocket)}`, ratio(bytes.websocket, bytes.http), 'report');
  row('   HTTP with store: true', `${kib(bytes.stored)}`, ratio(bytes.stored, bytes.http), 'report');

  // 8. Soak: many turns with random faults and interruptions, then what is left.
  const soaked = await soak(SOAK_TURNS, 50, gc);
  row(
    `8. soak: ${soaked.turns} turns, random faults`,
    `${soaked.seconds.toFixed(1)} s, ${soaked.errorFrames} ErrorFrames, ${soaked.interruptions} interruptions`,
    '',
    'report',
  );
  row('   left after the soak', `heap ${signedPercent(soaked.heapGrowth)}, ${soaked.openSockets} sockets, ${soaked.extraHandles} handles over baseline`, '', 'flat heap, 0, 0');

  // 9. Latency as users feel it: TLS and a real round trip, through a delay proxy (bench/latency.ts, its own process).
  rows.push(...(await latencyRows()));

  await server.close();
  const widths = [48, 46, 10, 0];
  console.log(`rx-responses bench · node ${process.version} · ${DELTAS} deltas · ${PAIRS} pairs · gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'exposed' : 'NOT exposed (heap figures are rough)'}`);
  console.log(['measure', 'figure', 'ratio', 'goal'].map((cell, index) => cell.padEnd(widths[index]!)).join(''));
  for (const cells of rows) console.log(cells.map((cell, index) => cell.padEnd(widths[index]!)).join(''));
  console.log('\nprofile of measure 1 (3 runs through the operator), self time by function, busy samples only:');
  for (const line of profile) console.log(`  ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.where}`);
}

/** One interruption cycle: start a response, wait for its first text, interrupt, time until the server sees the close. */
async function interruptOnce(llm: OpenAIResponsesLLMService, contextFrame: () => Frame, server: FakeResponsesServer): Promise<number> {
  const aborted = server.abortedConnections;
  const input = new Subject<Frame>();
  const firstText = firstValueFrom(input.pipe(llm.operator(), filter((frame) => frame.type === 'LLMTextFrame')));
  input.next(contextFrame());
  await firstText;
  const started = performance.now();
  input.next(new InterruptionFrame());
  // Poll on every turn of the event loop: a timer-based wait would add its own interval to the figure.
  while (server.abortedConnections === aborted) await tick();
  const elapsed = performance.now() - started;
  input.complete();
  return elapsed;
}

/** Memory per open session, in bytes: the JS heap, and ArrayBuffers outside it. */
interface SessionMemory {
  readonly heap: number;
  readonly arrayBuffers: number;
}

/** Memory per session with `count` sessions open at once (each stalled mid-stream on the server). */
async function memoryPerSession(server: ServerProcess, count: number, open: () => () => void): Promise<SessionMemory> {
  await server.waitFor((counts) => counts.openSockets === 0);
  const heapBefore = heapUsed();
  const buffersBefore = arrayBuffersUsed();
  const { requests } = await server.counts();
  const closers = Array.from({ length: count }, open);
  await server.waitFor((counts) => counts.requests - requests === count && counts.activeReplies >= count);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const heap = (heapUsed() - heapBefore) / count;
  const arrayBuffers = (arrayBuffersUsed() - buffersBefore) / count;
  for (const close of closers) close();
  await server.waitFor((counts) => counts.activeReplies === 0 && counts.openSockets === 0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { heap, arrayBuffers };
}

/** The fake server of `bench/server-process.ts`, running in a child process. */
interface ServerProcess {
  readonly baseURL: string;
  /** The server's counts now. */
  counts(): Promise<ServerCounts>;
  /** Resolves once `check` holds for the server's counts (polled). */
  waitFor(check: (counts: ServerCounts) => boolean): Promise<void>;
  close(): void;
}

async function startServerProcess(): Promise<ServerProcess> {
  const child = fork(join(__dirname, 'server-process.ts'), { execArgv: ['-r', 'ts-node/register/transpile-only'] });
  const reply = () => new Promise<ServerCounts>((resolve) => child.once('message', (message) => resolve(message as ServerCounts)));
  const { baseURL } = await reply();
  const counts = () => {
    const answer = reply();
    child.send('counts');
    return answer;
  };
  return {
    baseURL,
    counts,
    async waitFor(check) {
      const deadline = performance.now() + 30_000;
      while (!check(await counts())) {
        if (performance.now() > deadline) throw new Error('the bench server did not settle within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () => child.disconnect(),
  };
}

/** The latency section's rows, measured in a child process that trusts the certificate made here for the bench. */
async function latencyRows(): Promise<string[][]> {
  const tls = makeCertificate();
  const folder = mkdtempSync(join(tmpdir(), 'rx-bench-ca-'));
  const ca = join(folder, 'cert.pem');
  writeFileSync(ca, tls.cert);
  try {
    const settings = { ...tls, halfRoundTripMs: HALF_RTT_MS, repeats: LATENCY_REPEATS };
    const child = fork(join(__dirname, 'latency.ts'), {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, BENCH_LATENCY: JSON.stringify(settings) },
    });
    const rows = await new Promise<string[][]>((resolve, reject) => {
      child.once('message', (message) => resolve(message as string[][]));
      child.once('exit', (code) => reject(new Error(`the latency bench exited with ${code}`)));
    });
    child.kill();
    return [[`9. latency over TLS, RTT ${2 * HALF_RTT_MS} ms (delay proxy)`, '', '', ''], ...rows];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}x`;
const signedPercent = (fraction: number) => `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
