import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { InterruptionFrame, LLMUpdateSettingsFrame, OpenAIResponsesLLMSettings, TextFrame, type Frame } from '../src';
import { contextFrame, ev, scriptedService, testScheduler, timeline } from './support';

const serviceWith = scriptedService;

describe('operator timing (virtual time)', () => {
  it('a newer context cancels the older inner stream at that very frame', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const first = cold<ResponseStreamEvent>('-d----d----d-c|', { d: ev.delta('old'), c: ev.completed });
      const second = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('new'), c: ev.completed });
      const { llm } = serviceWith(scheduler, [first, second]);
      const source = hot<Frame>('a---b------|', { a: contextFrame('one'), b: contextFrame('two') });
      const log = timeline(source.pipe(llm.operator()), scheduler);
      scheduler.flush();
      expectSubscriptions(first.subscriptions).toBe('^---!');
      expectSubscriptions(second.subscriptions).toBe('----^---!');
      expect(log).toEqual(['0: Start', '1: "old"', '4: End', '4: Start', '5: "new"', '8: End', '11: complete']);
    });
  });

  it('an interruption mid-stream unsubscribes the inner stream, closes the response, then forwards itself', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('-d-d-d-d-c|', { d: ev.delta('tok'), c: ev.completed });
      const { llm } = serviceWith(scheduler, [stream]);
      const source = hot<Frame>('a--i--|', { a: contextFrame(), i: new InterruptionFrame() });
      const log = timeline(source.pipe(llm.operator()), scheduler);
      scheduler.flush();
      expectSubscriptions(stream.subscriptions).toBe('^--!');
      expect(log).toEqual(['0: Start', '1: "tok"', '3: End', '3: InterruptionFrame', '6: complete']);
    });
  });

  it('an interruption with nothing in flight is just forwarded', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot }) => {
      const { llm } = serviceWith(scheduler, []);
      const log = timeline(hot<Frame>('-i|', { i: new InterruptionFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(log).toEqual(['1: InterruptionFrame', '2: complete']);
    });
  });

  it('a settings delta between two contexts reaches the second request only', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const answer = () => cold<ResponseStreamEvent>('-c|', { c: ev.completed });
      const { llm, requests } = serviceWith(scheduler, [answer(), answer()]);
      const delta = OpenAIResponsesLLMSettings({ temperature: 0.2, model: 'gpt-4.1-mini' });
      const source = hot<Frame>('a---s---b---|', { a: contextFrame(), s: new LLMUpdateSettingsFrame({ delta }), b: contextFrame() });
      timeline(source.pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(requests.map((request) => [request.model, request.temperature])).toEqual([
        ['gpt-4.1', undefined],
        ['gpt-4.1-mini', 0.2],
      ]);
    });
  });

  it('a settings delta while a response streams does not change that request', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const { llm, requests } = serviceWith(scheduler, [cold<ResponseStreamEvent>('----c|', { c: ev.completed })]);
      const source = hot<Frame>('a-s---|', { a: contextFrame(), s: new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings({ temperature: 1 }) }) });
      const log = timeline(source.pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(requests[0]?.temperature).toBeUndefined();
      expect(llm.settings.temperature).toBe(1);
      expect(log).toEqual(['0: Start', '5: End', '6: complete']);
    });
  });

  it('passes unrelated frames through at their own time and in order while a response streams', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const stream = cold<ResponseStreamEvent>('--d---d-c|', { d: ev.delta('x'), c: ev.completed });
      const { llm } = serviceWith(scheduler, [stream]);
      const frames = { p: new TextFrame({ text: 'p' }), q: new TextFrame({ text: 'q' }), r: new TextFrame({ text: 'r' }), a: contextFrame() };
      const source = hot<Frame>('p-a-q-r------|', frames);
      const log = timeline(source.pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(log).toEqual(['0: Text(p)', '2: Start', '4: Text(q)', '4: "x"', '6: Text(r)', '8: "x"', '11: End', '13: complete']);
    });
  });

  it('a failed stream is closed with an ErrorFrame and the next context runs', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const broken = cold<ResponseStreamEvent>('-d#', { d: ev.delta('a') }, new Error('socket hang up'));
      const fine = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('b'), c: ev.completed });
      const { llm } = serviceWith(scheduler, [broken, fine]);
      const log = timeline(hot<Frame>('a----b------|', { a: contextFrame(), b: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expect(log).toEqual([
        '0: Start',
        '1: "a"',
        '2: Error(LLM stream error: connection dropped or stream broken (socket hang up))',
        '2: End',
        '5: Start',
        '6: "b"',
        '9: End',
        '12: complete',
      ]);
    });
  });

  it('measures TTFB and processing time on the injected scheduler', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const stream = cold<ResponseStreamEvent>('c 29ms d 9ms e|', { c: ev.created, d: ev.delta('hi'), e: ev.completed });
      const { llm } = serviceWith(scheduler, [stream]);
      const log = timeline(hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator()), scheduler, { metrics: true });
      scheduler.flush();
      expect(log).toEqual(['0: Start', '30: Metrics(ttfb=30)', '30: "hi"', '40: Metrics(usage=usage)', '41: Metrics(processing=41)', '41: End']);
    });
  });

  it('an event the mapping cannot read (a JSON null) ends the response with an ErrorFrame and stops the stream', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectSubscriptions }) => {
      const broken = cold<ResponseStreamEvent>('-d-n-d-c|', { d: ev.delta('a'), n: null as unknown as ResponseStreamEvent, c: ev.completed });
      const { llm } = serviceWith(scheduler, [broken]);
      const log = timeline(hot<Frame>('x', { x: contextFrame() }).pipe(llm.operator()), scheduler);
      scheduler.flush();
      expectSubscriptions(broken.subscriptions).toBe('^--!');
      expect(log).toEqual(['0: Start', '1: "a"', expect.stringMatching(/^3: Error\(LLM stream error: connection dropped or stream broken \(Cannot read properties of null/), '3: End']);
    });
  });
});
