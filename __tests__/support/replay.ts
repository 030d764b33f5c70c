import OpenAI from 'openai';
import { asyncScheduler, catchError, lastValueFrom, of, Subject, toArray } from 'rxjs';
import { parserOpenStream } from '../../src/services/openai-responses/sse-stream';
import { LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame } from '../../src';

/** A `fetch` that answers each request with the next body, in the given chunks, and no network; aborting errors the body. */
export function replayFetch(bodies: readonly Uint8Array[][], fallback: Uint8Array[]): typeof fetch {
  const queue = [...bodies];
  return async (_input, init) => {
    const chunks = queue.shift() ?? fallback;
    let index = 0;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')), { once: true }),
      pull: (controller) => {
        if (index < chunks.length) controller.enqueue(chunks[index++]!);
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
}

/** The body cut at the given end offsets (an offset past the end or out of order is ignored). */
export function cut(body: Uint8Array, ends: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const end of [...ends, body.length]) {
    if (end > start && end <= body.length) {
      chunks.push(body.slice(start, end));
      start = end;
    }
  }
  return chunks;
}

/** A frame without what differs between two runs of the same stream (ids, timings), for comparing runs. */
export function comparable(frame: Frame): unknown {
  const { id: _id, ...fields } = frame as Frame & Record<string, unknown>;
  // Timings differ between runs, and so does the service's name (the processor): the kinds and the token counts do not.
  if (frame.type === 'MetricsFrame') return { type: frame.type, data: frame.data.map((data) => (data.kind === 'usage' ? { kind: data.kind, value: data.value } : { kind: data.kind })) };
  if (frame.type === 'ErrorFrame') return { type: frame.type, error: frame.error };
  return fields;
}

/**
 * Runs a context over a body given in chunks (and whatever follow-ups it starts, answered by `followUp`), then a second
 * context; returns the frames of each and whether the output errored.
 */
export async function replayTurns(chunks: Uint8Array[], followUp: Uint8Array) {
  const client = new OpenAI({ apiKey: 'sk-replay-0123456789', baseURL: 'http://replay.invalid/v1', maxRetries: 0, fetch: replayFetch([chunks], [followUp]) });
  // No retries: each recording is what the response shows (a retryable failure or an empty answer would be asked again).
  const llm = new OpenAIResponsesLLMService({ client, maxRetries: 0, emptyResponseRetries: 0, logger: { warn: () => {}, error: () => {} } });
  llm.registerFunction(null, () => 'ok');
  const input = new Subject<Frame>();
  const output: Frame[] = [];
  let failed: unknown;
  const subscription = input.pipe(llm.operator()).subscribe({ next: (frame) => output.push(frame), error: (error) => (failed = error) });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const count = (frames: readonly Frame[], type: Frame['type']) => frames.filter((frame) => frame.type === type).length;
  const turn = async (text: string) => {
    const from = output.length;
    input.next(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) }));
    // Wait until the turn is quiet: its responses ended and no new one started.
    for (let spins = 0; spins < 500; spins++) {
      await settle();
      const starts = count(output.slice(from), 'LLMFullResponseStartFrame');
      if (starts > 0 && starts === count(output.slice(from), 'LLMFullResponseEndFrame')) {
        await settle();
        if (count(output.slice(from), 'LLMFullResponseStartFrame') === starts) break;
      }
    }
    return output.slice(from);
  };
  const first = await turn('first');
  const next = await turn('next');
  subscription.unsubscribe();
  return { first, next, failed };
}

/**
 * The events of a body as two readers see them: ours (the service's default `openStream`) and the `openai` SDK's own
 * stream iterator, the oracle. The SDK's reader throws at an `error` event; what it read until then is returned.
 */
export async function eventsByReader(chunks: Uint8Array[]): Promise<{ ours: unknown[]; sdk: unknown[] }> {
  const clientFor = () => new OpenAI({ apiKey: 'sk-replay-0123456789', baseURL: 'http://replay.invalid/v1', maxRetries: 0, fetch: replayFetch([chunks], chunks) });
  const request = { model: 'gpt-4.1', input: 'hi', stream: true } as const;
  const ours = await lastValueFrom(parserOpenStream(clientFor, asyncScheduler)(request).pipe(toArray(), catchError(() => of([]))));
  const sdk: unknown[] = [];
  try {
    for await (const event of await clientFor().responses.create(request)) sdk.push(event);
  } catch {
    // The SDK stops at an error event; the events before it are what it saw.
  }
  return { ours, sdk };
}
