import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { InterruptionFrame, LLMUpdateSettingsFrame, NOT_GIVEN, OpenAIResponsesLLMSettings, TextFrame, type Frame } from '../src';
import { contextFrame, ev, labels, scriptedService, testScheduler } from './support';

describe('operator timing (virtual time)', () => {
  it('a newer context cancels the older inner stream at that very frame', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const first = cold<ResponseStreamEvent>('-d----d----d-c|', { d: ev.delta('old'), c: ev.completed });
      const second = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('new'), c: ev.completed });
      const { llm } = scriptedService(scheduler, [first, second]);
      const source = hot<Frame>('a---b------|', { a: contextFrame('one'), b: contextFrame('two') });
      expectObservable(labels(source.pipe(llm.operator()), scheduler)).toBe('So--xn-E---|', { S: 'Start', o: '"old"', x: 'End + Start', n: '"new"', E: 'End' });
      expectSubscriptions(first.subscriptions).toBe('^---!');
      // End at response.completed (frame 7); the stream is read to its end (frame 8), so a transport keeps its connection.
      expectSubscriptions(second.subscriptions).toBe('----^---!');
    });
  });

  it('End goes out at the terminal event; the request is let go when its stream ends, or RELEASE_WAIT_MS (1 s) later', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      // The body's last bytes trail response.completed by three frames; the second body never ends.
      const trailing = cold<ResponseStreamEvent>('-d-c--|', { d: ev.delta('one'), c: ev.completed });
      const endless = cold<ResponseStreamEvent>('-d-c', { d: ev.delta('two'), c: ev.completed });
      const { llm } = scriptedService(scheduler, [trailing, endless]);
      const source = hot<Frame>('a-------b', { a: contextFrame('one'), b: contextFrame('two') });
      expectObservable(labels(source.pipe(llm.operator()), scheduler)).toBe('So-E----St-E', { S: 'Start', o: '"one"', t: '"two"', E: 'End' });
      expectSubscriptions(trailing.subscriptions).toBe('^-----!');
      expectSubscriptions(endless.subscriptions).toBe('--------^ 1002ms !');
    });
  });

  it('an interruption mid-stream unsubscribes the inner stream, closes the response, then forwards itself', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const stream = cold<ResponseStreamEvent>('-d-d-d-d-c|', { d: ev.delta('tok'), c: ev.completed });
      const { llm } = scriptedService(scheduler, [stream]);
      const source = hot<Frame>('a--i--|', { a: contextFrame(), i: new InterruptionFrame() });
      expectObservable(labels(source.pipe(llm.operator()), scheduler)).toBe('St-x--|', { S: 'Start', t: '"tok"', x: 'End + Interruption' });
      expectSubscriptions(stream.subscriptions).toBe('^--!');
    });
  });

  it('an interruption with nothing in flight is just forwarded', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const { llm } = scriptedService(scheduler, []);
      expectObservable(labels(hot<Frame>('-i|', { i: new InterruptionFrame() }).pipe(llm.operator()), scheduler)).toBe('-i|', { i: 'Interruption' });
    });
  });

  it('a settings delta between two contexts reaches the second request only', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const answer = () => cold<ResponseStreamEvent>('-dc|', { d: ev.delta('x'), c: ev.completed });
      const { llm, requests } = scriptedService(scheduler, [answer(), answer()]);
      const delta = OpenAIResponsesLLMSettings({ temperature: 0.2, model: 'gpt-4.1-mini' });
      const source = hot<Frame>('a---s---b---|', { a: contextFrame(), s: new LLMUpdateSettingsFrame({ delta }), b: contextFrame() });
      expectObservable(labels(source.pipe(llm.operator()), scheduler)).toBe('SxE-----SxE-|', { S: 'Start', x: '"x"', E: 'End' });
      scheduler.flush();
      expect(requests.map((request) => [request.model, request.temperature])).toEqual([
        ['gpt-4.1', undefined],
        ['gpt-4.1-mini', 0.2],
      ]);
    });
  });

  it('a settings delta while a response streams does not change that request', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm, requests } = scriptedService(scheduler, [cold<ResponseStreamEvent>('---dc|', { d: ev.delta('x'), c: ev.completed })]);
      const source = hot<Frame>('a-s---|', { a: contextFrame(), s: new LLMUpdateSettingsFrame({ delta: OpenAIResponsesLLMSettings({ temperature: 1 }) }) });
      expectObservable(labels(source.pipe(llm.operator()), scheduler)).toBe('S--xE-|', { S: 'Start', x: '"x"', E: 'End' });
      scheduler.flush();
      expect(requests[0]?.temperature).toBeUndefined();
      // The delta is this pipeline's: the service's own settings, every other session's base, are unchanged.
      expect(llm.settings.temperature).toBe(NOT_GIVEN);
    });
  });

  it('passes unrelated frames through at their own time and in order while a response streams', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const stream = cold<ResponseStreamEvent>('--d---d-c|', { d: ev.delta('x'), c: ev.completed });
      const { llm } = scriptedService(scheduler, [stream]);
      const frames = { p: new TextFrame({ text: 'p' }), q: new TextFrame({ text: 'q' }), r: new TextFrame({ text: 'r' }), a: contextFrame() };
      const source = hot<Frame>('p-a-q-r------|', frames);
      expectObservable(labels(source.pipe(llm.operator()), scheduler)).toBe('p-S-q-r-x-E--|', {
        p: 'Text(p)',
        S: 'Start',
        q: 'Text(q) + "x"',
        r: 'Text(r)',
        x: '"x"',
        E: 'End',
      });
    });
  });

  it('a failed stream is closed with an ErrorFrame and the next context runs', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const broken = cold<ResponseStreamEvent>('-d#', { d: ev.delta('a') }, new Error('socket hang up'));
      const fine = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('b'), c: ev.completed });
      const { llm } = scriptedService(scheduler, [broken, fine]);
      const output$ = hot<Frame>('a----b------|', { a: contextFrame(), b: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sax--Sb-E---|', {
        S: 'Start',
        a: '"a"',
        x: 'Error(LLM stream error: connection dropped or stream broken (socket hang up)) + End',
        b: '"b"',
        E: 'End',
      });
    });
  });

  it('measures TTFB and processing time on the injected scheduler', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const stream = cold<ResponseStreamEvent>('c 29ms d 9ms e|', { c: ev.created, d: ev.delta('hi'), e: ev.completed });
      const { llm } = scriptedService(scheduler, [stream]);
      const output$ = hot<Frame>('a', { a: contextFrame() }).pipe(llm.operator());
      // The response ends at response.completed (frame 40), not when the stream closes a frame later.
      expectObservable(labels(output$, scheduler, { metrics: true })).toBe('S 29ms h 9ms E', {
        S: 'Start',
        h: 'ttfb=30 + ttfat=30 + "hi"',
        E: 'usage + processing=40 + End',
      });
    });
  });

  it('an event the mapping cannot read (a JSON null) ends the response with an ErrorFrame and stops the stream', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const broken = cold<ResponseStreamEvent>('-d-n-d-c|', { d: ev.delta('a'), n: null as unknown as ResponseStreamEvent, c: ev.completed });
      const { llm } = scriptedService(scheduler, [broken]);
      expectObservable(labels(hot<Frame>('x', { x: contextFrame() }).pipe(llm.operator()), scheduler)).toBe('Sa-x', {
        S: 'Start',
        a: '"a"',
        x: expect.stringMatching(/^Error\(LLM stream error: connection dropped or stream broken \(Cannot read properties of null.*\) \+ End$/),
      });
      expectSubscriptions(broken.subscriptions).toBe('^--!');
    });
  });
});
