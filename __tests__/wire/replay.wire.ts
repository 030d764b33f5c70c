/**
 * Every recorded body, replayed through the operator exactly as the live API sent it, cut at awkward places: the frames
 * must be what the recording implies, and the next context must still work. The `openai` SDK's own stream reader is the
 * oracle of ours: both must read the same events from every recording.
 */
import fc from 'fast-check';
import OpenAI from 'openai';
import { lastValueFrom, of, toArray } from 'rxjs';
import { LLMContext, LLMContextFrame, OpenAIResponsesLLMService } from '../../src';
import type { ErrorFrame, Frame } from '../../src';
import { comparable, cut as cutAnywhere, eventsByReader, replayFetch, replayTurns } from '../support/replay';
import { bodyOf, CHUNKINGS, cut, FOLLOW_UP, recordings } from './recordings';

const textOf = (frames: readonly Frame[]) => frames.map((frame) => (frame.type === 'LLMTextFrame' ? frame.text : '')).join('');
const FOLLOW_UP_TEXT = (() => {
  const recording = recordings().find((candidate) => candidate.name === FOLLOW_UP)!;
  return recording.text;
})();

const cases = recordings().flatMap((recording) => Object.entries(CHUNKINGS).map(([chunking, ends]) => [`${recording.name}, ${chunking}`, recording, ends(recording.body)] as const));

describe('the recorded corpus, replayed', () => {
  it('has recordings to replay', () => {
    expect(recordings().length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', async (_name, recording, ends) => {
    const { first, next, failed } = await replayTurns(cut(recording.body, ends), new Uint8Array(bodyOf(FOLLOW_UP)));
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
    // Every hosted item ends with its response, in a final status (Azure leaves some at `searching` or `generating`).
    for (const itemId of hosted) {
      const last = response.filter((frame) => frame.type === 'HostedToolCallFrame' && frame.itemId === itemId).at(-1);
      expect(last?.type === 'HostedToolCallFrame' && ['completed', 'failed', 'incomplete'].includes(last.status)).toBe(true);
    }
    // An approval the model asks for reaches the app (no policy here: the turn then waits for the app's answer).
    const approvals = response.flatMap((frame) => (frame.type === 'McpApprovalRequestFrame' ? [frame.approvalRequestId] : []));
    expect(approvals).toEqual(recording.approvals);
    expect(response.filter((frame) => frame.type === 'LLMAnnotationFrame')).toHaveLength(recording.annotations);

    // Calls run only when the response completed; then the follow-up answers in the same turn.
    const started = first.flatMap((frame) => (frame.type === 'FunctionCallsStartedFrame' ? frame.functionCalls.map((call) => ({ name: call.functionName, arguments: call.arguments })) : []));
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

describe('our stream reader against the SDK\'s (the oracle)', () => {
  it.each(recordings().map((recording) => [recording.name, recording] as const))('%s: the same events', async (_name, recording) => {
    const { ours, sdk } = await eventsByReader([new Uint8Array(recording.body)]);
    expect(ours.length).toBeGreaterThan(0);
    // The SDK stops at an error event (it throws); up to there, the two readers agree event for event.
    expect(ours.slice(0, sdk.length)).toEqual(sdk);
    const rest = ours.slice(sdk.length) as { type?: string }[];
    expect(rest.every((event, index) => index > 0 || event.type === 'error')).toBe(true);
  });
});

describe('random chunkings of each recording (fast-check)', () => {
  it.each(recordings().map((recording) => [recording.name, recording] as const))('%s', async (_name, recording) => {
    const followUp = new Uint8Array(bodyOf(FOLLOW_UP));
    // A chunking must reproduce the frames of the whole body exactly.
    const whole = await replayTurns([new Uint8Array(recording.body)], followUp);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 60 }), async (rawEnds) => {
        const ends = [...new Set(rawEnds.map((end) => 1 + (end % (recording.body.length - 1))))].sort((a, b) => a - b);
        const chunked = await replayTurns(cutAnywhere(recording.body, ends), followUp);
        const sameFrames = (frames: readonly Frame[]) => frames.map(comparable);
        expect(sameFrames(chunked.first)).toEqual(sameFrames(whole.first));
        expect(sameFrames(chunked.next)).toEqual(sameFrames(whole.next));
      }),
      { numRuns: 8 },
    );
  });
});

describe('recorded failures before any output are tried again (a conversation never goes silent)', () => {
  it.each(['error-server-error-null-code.sse', 'failed-rate-limit-handwritten.sse'])('%s: retried, then the answer streams, no ErrorFrame', async (name) => {
    const client = new OpenAI({ apiKey: 'sk-replay-0123456789', baseURL: 'http://replay.invalid/v1', maxRetries: 0, fetch: replayFetch([[new Uint8Array(bodyOf(name))]], [new Uint8Array(bodyOf(FOLLOW_UP))]) });
    // The recordings name no wait, so the first backoff (about half a second) is paid; the wait itself is tested in marbles.
    const llm = new OpenAIResponsesLLMService({ client, maxRetries: 1, logger: { warn: () => {}, error: () => {} } });
    const frames = await lastValueFrom(of(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Hi' }]) })).pipe(llm.operator(), toArray()));
    expect(frames.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
    expect(textOf(frames)).toBe(FOLLOW_UP_TEXT);
    expect(frames.filter((frame) => frame.type === 'LLMFullResponseStartFrame')).toHaveLength(1);
  });
});
