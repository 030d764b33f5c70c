/**
 * Every recorded body, replayed through the operator exactly as the live API sent it, cut at awkward places, under every
 * stream reader: the frames must be what the recording implies, and the next context must still work.
 */
import OpenAI from 'openai';
import { Subject } from 'rxjs';
import { LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type ErrorFrame, type Frame } from '../../src';
import { bodyOf, CHUNKINGS, cut, FOLLOW_UP, recordings, type Recording } from './recordings';

/** A `fetch` that answers each request with the next body, in the given chunks, and no network; aborting errors the body. */
function replayFetch(bodies: readonly Uint8Array[][], fallback: Uint8Array[]): typeof fetch {
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

/** Runs one context (and whatever follow-ups it starts), then a second one; returns the frames of each. */
async function replay(recording: Recording, chunks: Uint8Array[], streamReader: 'eventsource-parser' | 'sdk') {
  const followUp = [new Uint8Array(bodyOf(FOLLOW_UP))];
  const client = new OpenAI({ apiKey: 'sk-wire-replay', baseURL: 'http://wire.invalid/v1', maxRetries: 0, fetch: replayFetch([chunks], followUp) });
  const llm = new OpenAIResponsesLLMService({ client, streamReader, logger: { warn: () => {}, error: () => {} } });
  llm.registerFunction(null, () => 'ok');
  const input = new Subject<Frame>();
  const output: Frame[] = [];
  let failed: unknown;
  const done = new Subject<void>();
  const subscription = input.pipe(llm.operator()).subscribe({ next: (frame) => (output.push(frame), frame.type === 'LLMFullResponseEndFrame' && done.next()), error: (error) => (failed = error) });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const turn = async (text: string) => {
    const from = output.length;
    input.next(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) }));
    // Wait until the turn is quiet: its responses ended and no new one started.
    for (let spins = 0; spins < 500; spins++) {
      await settle();
      const frames = output.slice(from);
      const starts = frames.filter((frame) => frame.type === 'LLMFullResponseStartFrame').length;
      const ends = frames.filter((frame) => frame.type === 'LLMFullResponseEndFrame').length;
      if (starts > 0 && starts === ends) {
        await settle();
        if (output.slice(from).filter((frame) => frame.type === 'LLMFullResponseStartFrame').length === starts) break;
      }
    }
    return output.slice(from);
  };
  const first = await turn('first');
  const next = await turn('next');
  subscription.unsubscribe();
  return { first, next, failed };
}

const textOf = (frames: readonly Frame[]) => frames.map((frame) => (frame.type === 'LLMTextFrame' ? frame.text : '')).join('');
const FOLLOW_UP_TEXT = (() => {
  const recording = recordings().find((candidate) => candidate.name === FOLLOW_UP)!;
  return recording.text;
})();

const cases = recordings().flatMap((recording) =>
  Object.entries(CHUNKINGS).flatMap(([chunking, ends]) =>
    (['eventsource-parser', 'sdk'] as const).map((reader) => [`${recording.name}, ${chunking}, ${reader} reader`, recording, ends(recording.body), reader] as const),
  ),
);

describe('the recorded corpus, replayed', () => {
  it('has recordings to replay', () => {
    expect(recordings().length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', async (_name, recording, ends, reader) => {
    const { first, next, failed } = await replay(recording, cut(recording.body, ends), reader);
    expect(failed).toBeUndefined();
    // The first response of the turn is the recording's.
    const firstEnd = first.findIndex((frame) => frame.type === 'LLMFullResponseEndFrame');
    const response = first.slice(0, firstEnd + 1);
    expect(response[0]?.type).toBe('LLMFullResponseStartFrame');
    expect(response.at(-1)?.type).toBe('LLMFullResponseEndFrame');
    expect(textOf(response)).toBe(recording.text);
    const thoughts = response.map((frame) => (frame.type === 'LLMThoughtTextFrame' ? frame.text : '')).join('');
    expect(thoughts).toBe(recording.thoughts);
    const starts = response.filter((frame) => frame.type === 'LLMThoughtStartFrame').length;
    expect(response.filter((frame) => frame.type === 'LLMThoughtEndFrame')).toHaveLength(starts);

    const errors = response.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
    if (recording.terminal === 'response.completed') {
      expect(errors).toEqual([]);
    } else {
      expect(errors).toHaveLength(1);
      if (recording.errorText) expect(errors[0]!.error).toContain(recording.errorText);
      if (recording.errorCode) expect((errors[0]!.exception as { code?: string }).code).toBe(recording.errorCode);
    }

    const usage = response.flatMap((frame) => (frame.type === 'MetricsFrame' ? frame.data : [])).find((data) => data.kind === 'usage');
    if (recording.usage && recording.terminal !== 'error') {
      expect(usage?.value).toMatchObject({ promptTokens: recording.usage.input, completionTokens: recording.usage.output, totalTokens: recording.usage.total });
    }

    const hosted = new Set(response.flatMap((frame) => (frame.type === 'HostedToolCallFrame' && frame.item ? [frame.itemId] : [])));
    expect([...hosted].sort()).toEqual([...recording.hostedItems].sort());
    expect(response.filter((frame) => frame.type === 'LLMAnnotationFrame')).toHaveLength(recording.annotations);

    // Calls run only when the response completed; then the follow-up answers in the same turn.
    const started = first.flatMap((frame) => (frame.type === 'FunctionCallsStartedFrame' ? frame.functionCalls.map((call) => call.functionName) : []));
    if (recording.terminal === 'response.completed' && recording.calls.length > 0) {
      expect(started).toEqual(recording.calls);
      expect(textOf(first.slice(firstEnd + 1))).toBe(FOLLOW_UP_TEXT);
    } else {
      expect(started).toEqual([]);
      expect(first.slice(firstEnd + 1)).toEqual([]);
    }

    // The next context still works.
    expect(textOf(next)).toBe(FOLLOW_UP_TEXT);
    expect(next.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
  });
});
