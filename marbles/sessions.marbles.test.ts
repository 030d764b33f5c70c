/**
 * One service, many pipelines: a settings frame belongs to the pipeline (the subscription of `operator()`) it arrives
 * in; the service's own settings are the base every pipeline starts from and merges its frames over.
 */
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { LLMUpdateSettingsFrame, OpenAIResponsesLLMSettings, type Frame } from '../src';
import { contextFrame, ev, scriptedService, testScheduler } from './support';

const answer = (cold: (marbles: string, values: Record<string, ResponseStreamEvent>) => import('rxjs').Observable<ResponseStreamEvent>) => cold('-dc|', { d: ev.delta('ok'), c: ev.completed });
const settings = (delta: Parameters<typeof OpenAIResponsesLLMSettings>[0]) => new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings(delta) });

describe('sessions of one service (virtual time)', () => {
  it("a settings frame changes its own pipeline's next request, never another pipeline's", () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const { llm, requests } = scriptedService(scheduler, [answer(cold), answer(cold), answer(cold), answer(cold)]);
      // A changes its model at frame 2; B asks at 0 and 10, A at 5 and 15.
      hot<Frame>('--m--a---------a', { m: settings({ model: 'gpt-4.1-mini', temperature: 0.2 }), a: contextFrame() }).pipe(llm.operator()).subscribe();
      hot<Frame>('b---------b', { b: contextFrame() }).pipe(llm.operator()).subscribe();
      scheduler.flush();
      expect(requests.map((request) => [request.model, request.temperature])).toEqual([
        ['gpt-4.1', undefined], // B
        ['gpt-4.1-mini', 0.2], // A, after its delta
        ['gpt-4.1', undefined], // B again: A's delta is not B's
        ['gpt-4.1-mini', 0.2], // A keeps its own
      ]);
    });
  });

  it("llm.updateSettings changes the base of every pipeline; a pipeline's own deltas stay over it", () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const { llm, requests } = scriptedService(scheduler, [answer(cold), answer(cold), answer(cold), answer(cold)]);
      hot<Frame>('m----a---------a', { m: settings({ temperature: 0.9 }), a: contextFrame() }).pipe(llm.operator()).subscribe();
      hot<Frame>('-----------b', { b: contextFrame() }).pipe(llm.operator()).subscribe();
      scheduler.schedule(() => llm.updateSettings({ model: 'gpt-4.1-mini', temperature: 0.1 }), 8);
      scheduler.flush();
      expect(requests.map((request) => [request.model, request.temperature])).toEqual([
        ['gpt-4.1', 0.9], // A: its own delta over the first base
        ['gpt-4.1-mini', 0.1], // B: the new base
        ['gpt-4.1-mini', 0.9], // A: the new base, its own delta still over it
      ]);
    });
  });

  it('a bad delta is an ErrorFrame in its own pipeline only; both keep working', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const { llm, requests } = scriptedService(scheduler, [answer(cold), answer(cold)]);
      const seen: Frame[] = [];
      hot<Frame>('x---a', { x: new LLMUpdateSettingsFrame({ delta: { temperature: 7 } }), a: contextFrame() }).pipe(llm.operator()).subscribe((frame) => seen.push(frame));
      const other: Frame[] = [];
      hot<Frame>('--b', { b: contextFrame() }).pipe(llm.operator()).subscribe((frame) => other.push(frame));
      scheduler.flush();
      expect(seen.filter((frame) => frame.type === 'ErrorFrame').map((frame) => frame.type === 'ErrorFrame' && frame.error)).toEqual([expect.stringContaining('temperature')]);
      expect(other.some((frame) => frame.type === 'ErrorFrame')).toBe(false);
      expect(requests).toHaveLength(2);
    });
  });
});
