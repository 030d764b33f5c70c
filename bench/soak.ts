/**
 * The soak of `npm run bench` (not a test): many turns over loopback with random faults and interruptions, then what is
 * left: heap against a warm-up baseline, open sockets, active handles.
 */
import { Subject } from 'rxjs';
import { InterruptionFrame, LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame } from '../src';
import { FakeResponsesServer, functionCallResponse, ResponseScript, textResponse, type FakeReply } from '../src/testing';

/** What the soak leaves behind. */
export interface SoakFigures {
  readonly turns: number;
  readonly errorFrames: number;
  readonly interruptions: number;
  readonly heapGrowth: number;
  readonly openSockets: number;
  readonly extraHandles: number;
  readonly seconds: number;
}

/** A small seeded generator, so every run meets the same faults. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const REPLIES: readonly [number, () => FakeReply][] = [
  [0.56, () => ({ kind: 'stream', events: textResponse(['Fine ', 'thanks.']) })],
  [0.08, () => ({ kind: 'stream', events: functionCallResponse([{ name: 'lookup', arguments: { q: 'x' } }]) })],
  [0.08, () => ({ kind: 'http-error', status: 500, message: 'busy', headers: { 'retry-after-ms': '1' } })],
  [0.06, () => ({ kind: 'stream', events: textResponse(['a', 'b', 'c']), dropAfter: 4 })],
  [0.06, () => ({ kind: 'stream', events: new ResponseScript().text('half').error('Overloaded') })],
  [0.06, () => ({ kind: 'stream', events: new ResponseScript().text(['cut ', 'short']).incomplete() })],
  [0.05, () => ({ kind: 'stall' })],
  [0.05, () => ({ kind: 'http-error', status: 400, message: 'bad request' })],
];

export async function soak(turns: number, lanes = 50, gc: () => void = () => {}): Promise<SoakFigures> {
  const random = seeded(20261125);
  const pick = (): FakeReply => {
    let roll = random();
    for (const [share, reply] of REPLIES) if ((roll -= share) < 0) return reply();
    return REPLIES[0]![1]();
  };
  const server = await FakeResponsesServer.start({ keepAliveTimeoutMs: 50, fallback: () => pick() });
  const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-soak-0123456789', baseURL: server.baseURL, maxRetries: 1, completionTimeoutMs: 300, logger: { warn() {}, error() {} } });
  llm.registerFunction(null, () => 'ok');
  let errorFrames = 0;
  let interruptions = 0;
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  /** One lane: a pipeline that runs its turns one after another, interrupting some mid-way. */
  const lane = async (count: number) => {
    const input = new Subject<Frame>();
    let starts = 0;
    let ends = 0;
    const subscription = input.pipe(llm.operator()).subscribe((frame) => {
      if (frame.type === 'LLMFullResponseStartFrame') starts++;
      else if (frame.type === 'LLMFullResponseEndFrame') ends++;
      else if (frame.type === 'ErrorFrame') errorFrames++;
    });
    for (let turn = 0; turn < count; turn++) {
      const before = starts;
      input.next(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: `turn ${turn}` }]) }));
      if (random() < 0.15) {
        await tick();
        input.next(new InterruptionFrame());
        interruptions++;
      }
      // Quiet: a response ran and every response has ended, also after a turn of the event loop (a follow-up may start).
      while (!(starts > before && starts === ends)) await tick();
      await tick();
      while (starts !== ends) await tick();
    }
    subscription.unsubscribe();
  };
  const run = async (total: number) => {
    await Promise.all(Array.from({ length: lanes }, (_, index) => lane(Math.floor(total / lanes) + (index < total % lanes ? 1 : 0))));
    await server.waitFor(() => server.activeReplies === 0 && server.openSockets === 0, 30_000);
    server.requests.length = 0;
    // The client's side of the last sockets closes a moment after the server's.
    await new Promise((resolve) => setTimeout(resolve, 300));
  };

  await run(Math.min(1000, turns));
  gc();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const handlesBefore = process.getActiveResourcesInfo().length;
  const started = performance.now();
  errorFrames = 0;
  interruptions = 0;
  await run(turns);
  const seconds = (performance.now() - started) / 1000;
  gc();
  gc();
  const figures: SoakFigures = {
    turns,
    errorFrames,
    interruptions,
    heapGrowth: process.memoryUsage().heapUsed / heapBefore - 1,
    openSockets: server.openSockets,
    extraHandles: process.getActiveResourcesInfo().length - handlesBefore,
    seconds,
  };
  await server.close();
  return figures;
}
