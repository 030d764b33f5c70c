/**
 * Property: however the network cuts an SSE body (inside lines, inside multi-byte characters, between CR and LF), the
 * frames are the same as for the whole body. Bodies in the live shapes, written by the kit.
 */
import fc from 'fast-check';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ResponseScript, textResponse } from '../../src/testing';
import { comparable, cut, replayTurns } from '../support/replay';

const sse = (events: readonly ResponseStreamEvent[], lineEnd: string) =>
  new TextEncoder().encode(events.map((event) => `event: ${event.type}${lineEnd}data: ${JSON.stringify(event)}${lineEnd}${lineEnd}`).join(''));

const citation = { type: 'url_citation', url: 'https://example.org/zürich', title: 'Zürich — 概要', start_index: 0, end_index: 6 };
const BODIES: Readonly<Record<string, readonly ResponseStreamEvent[]>> = {
  'reasoning, a hosted search, an annotated answer': new ResponseScript({ model: 'gpt-5' })
    .reasoning(['Thinking about Zürich… ', '🤔 weighing 概要'], 'gAAAA-encrypted')
    .hostedTool('web_search_call', { progress: ['searching'] })
    .text(['Zürich ', 'is ', 'in 🇨🇭 — ', '概要.'], { phase: 'final_answer', annotations: [citation] })
    .completed({ inputTokens: 40, outputTokens: 12, reasoningTokens: 5 }),
  'a function call with multi-byte arguments': new ResponseScript().functionCall({ name: 'lookup', arguments: { city: 'São Paulo', note: '東京 ✓' }, chunks: 5 }).completed(),
  'a refusal': new ResponseScript().refusal(["I'm sorry — ", 'I can’t help with that.']).completed(),
  'text, then a nested error event': new ResponseScript().text(['Partial ', 'réponse']).error('Überlastet ⚠', 'server_error'),
};
const FOLLOW_UP = sse(textResponse('Done.'), '\n');

/** The frames of the whole body, per body and line end: what every chunking must reproduce. */
const baselines = new Map<string, Promise<Awaited<ReturnType<typeof replayTurns>>>>();
const baseline = (name: string, lineEnd: string) => {
  const key = `${name}|${lineEnd}`;
  if (!baselines.has(key)) baselines.set(key, replayTurns([sse(BODIES[name]!, lineEnd)], FOLLOW_UP));
  return baselines.get(key)!;
};

describe('any chunking of an SSE body gives the same frames', () => {
  it('whatever the cuts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(BODIES)),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (name, lineEnd, rawEnds) => {
          const body = sse(BODIES[name]!, lineEnd);
          const ends = [...new Set(rawEnds.map((end) => 1 + (end % (body.length - 1))))].sort((a, b) => a - b);
          const whole = await baseline(name, lineEnd);
          const chunked = await replayTurns(cut(body, ends), FOLLOW_UP);
          expect(chunked.failed).toBeUndefined();
          expect(chunked.first.map(comparable)).toEqual(whole.first.map(comparable));
          expect(chunked.next.map(comparable)).toEqual(whole.next.map(comparable));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the baselines themselves show what the bodies hold (so the property is not vacuous)', async () => {
    const whole = await baseline('reasoning, a hosted search, an annotated answer', '\n');
    const types = new Set(whole.first.map((frame) => frame.type));
    for (const type of ['LLMThoughtTextFrame', 'HostedToolCallFrame', 'LLMAnnotationFrame', 'LLMTextFrame'] as const) expect(types).toContain(type);
    const text = whole.first.map((frame) => (frame.type === 'LLMTextFrame' ? frame.text : '')).join('');
    expect(text).toBe('Zürich is in 🇨🇭 — 概要.');
  });
});
