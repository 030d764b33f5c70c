/**
 * Function calls and barge-in, in virtual time: every announced call ends with a result or a cancel frame, and a handler
 * registered with cancelOnInterruption: false outlives the interruption, lands in the context with its call, and runs
 * the model again once the pipeline is idle.
 */
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { delay, type Observable } from 'rxjs';
import { InterruptionFrame, LLMContext, LLMContextAggregatorPair, LLMContextFrame, UserStartedSpeakingFrame, UserStoppedSpeakingFrame, type Frame, type FunctionCallFromLLM } from '../src';
import { functionCallResponse, ResponseScript } from '../src/testing';
import { contextFrame, ev, labels, scriptedService, testScheduler } from './support';

type Cold = (marbles: string, values?: Record<string, unknown>) => Observable<unknown>;
/** A whole response as one cold stream that emits every event at frame 1 and completes there. */
function atFrameOne(cold: Cold, events: ResponseStreamEvent[]): Observable<ResponseStreamEvent> {
  const letters = events.map((_, index) => String.fromCharCode(65 + index));
  return cold(`-(${letters.join('')}|)`, Object.fromEntries(letters.map((letter, index) => [letter, events[index]!]))) as Observable<ResponseStreamEvent>;
}
const calls = (...names: string[]) => functionCallResponse(names.map((name) => ({ name, arguments: {}, callId: `call_${name}` })));
const answer = (cold: Cold, marbles = '-d-c|', text = 'done') => cold(marbles, { d: ev.delta(text), c: ev.completed }) as Observable<ResponseStreamEvent>;

describe('barge-in and function calls (virtual time)', () => {
  it('interrupted just before the second handler starts (in sequence): both end with a cancel frame, none is left in progress', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm, requests } = scriptedService(scheduler, [atFrameOne(cold, calls('a', 'b'))], { runInParallel: false });
      llm.registerFunction(null, () => cold('-----r|', { r: 'R' }));
      const cancelled: string[][] = [];
      llm.on('functionCallsCancelled', (_llm, functionCalls: readonly FunctionCallFromLLM[]) => void cancelled.push(functionCalls.map((call) => call.functionName)));
      const output$ = hot<Frame>('x--i', { x: contextFrame(), i: new InterruptionFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sr-i', { S: 'Start', r: 'End + started(a,b) + running(a)', i: 'cancel(a) + cancel(b) + Interruption' });
      scheduler.flush();
      expect(cancelled).toEqual([['a', 'b']]);
      expect(requests).toHaveLength(1);
    });
  });

  it('interrupted after the handler answered: no cancel frame for it, and nothing of the turn is left open', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm } = scriptedService(scheduler, [atFrameOne(cold, calls('a')), answer(cold, '-----d-c|')]);
      llm.registerFunction('a', () => cold('-r|', { r: 'A' }));
      const output$ = hot<Frame>('x----i', { x: contextFrame(), i: new InterruptionFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Srx--i', {
        S: 'Start',
        r: 'End + started(a) + running(a)',
        x: 'result(a=A) + Start',
        i: 'End + Interruption',
      });
    });
  });

  it('a late answer while the user speaks waits: the model runs on it once the user stopped, not over them (Pipecat #5823)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm, requests } = scriptedService(scheduler, [atFrameOne(cold, calls('book')), answer(cold, '-d-c|', 'booked')]);
      llm.registerFunction('book', () => cold('--------r|', { r: 'seat 4A' }), { cancelOnInterruption: false });
      const first = contextFrame('book a seat');
      const output$ = hot<Frame>('x--iu-------s', { x: first, i: new InterruptionFrame(), u: new UserStartedSpeakingFrame(), s: new UserStoppedSpeakingFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sr-iu----b--s"-E', {
        S: 'Start',
        r: 'End + started(book) + running(book)',
        i: 'Interruption',
        u: 'UserStartedSpeakingFrame',
        b: 'result(book=seat 4A)',
        s: 'UserStoppedSpeakingFrame + Start',
        '"': '"booked"',
        E: 'End',
      });
      scheduler.flush();
      // The run is on the surviving call's context, with the call and its output.
      expect((requests[1]!.input as { type?: string }[]).map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output']);
    });
  });

  it('what the user said when they stopped starts the turn; the waiting run is that turn, not a second one', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm, requests } = scriptedService(scheduler, [atFrameOne(cold, calls('book')), answer(cold, '-d-c|', 'both')]);
      llm.registerFunction('book', () => cold('--------r|', { r: 'seat 4A' }), { cancelOnInterruption: false });
      const first = contextFrame('book a seat');
      first.context.addUserMessage('and a window seat');
      const said = new LLMContextFrame({ context: first.context });
      const output$ = hot<Frame>('x--iu-------(sy)', { x: first, i: new InterruptionFrame(), u: new UserStartedSpeakingFrame(), s: new UserStoppedSpeakingFrame(), y: said }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sr-iu----b--s"-E', {
        S: 'Start',
        r: 'End + started(book) + running(book)',
        i: 'Interruption',
        u: 'UserStartedSpeakingFrame',
        b: 'result(book=seat 4A)',
        s: 'UserStoppedSpeakingFrame + Start',
        '"': '"both"',
        E: 'End',
      });
      scheduler.flush();
      expect(requests).toHaveLength(2);
    });
  });

  it('a surviving handler answers during a newer turn: its call and output land together, and the model runs once that turn ended', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm, requests } = scriptedService(scheduler, [atFrameOne(cold, calls('book')), answer(cold, '-d-------c|', 'other'), answer(cold, '-d-c|', 'booked')]);
      llm.registerFunction('book', () => cold('--------r|', { r: 'seat 4A' }), { cancelOnInterruption: false });
      const first = contextFrame('book a seat');
      const output$ = hot<Frame>('x--iy', { x: first, i: new InterruptionFrame(), y: contextFrame('something else') }).pipe(llm.operator());
      // The late run's request waits for the newer turn's request to be released (its stream ends one frame after End).
      expectObservable(labels(output$, scheduler)).toBe('Sr-iSo---b---x-B-E', {
        S: 'Start',
        r: 'End + started(book) + running(book)',
        i: 'Interruption',
        o: '"other"',
        b: 'result(book=seat 4A)',
        x: 'End + Start',
        B: '"booked"',
        E: 'End',
      });
      scheduler.flush();
      expect(first.context.messages).toEqual([
        { role: 'user', content: 'book a seat' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_book', type: 'function', function: { name: 'book', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_book', content: 'seat 4A' },
      ]);
      // The run after the newer turn is on the surviving call's context, with the call and its output, once.
      expect((requests[2]!.input as { type?: string }[]).map((item) => item.type)).toEqual(['message', 'function_call', 'function_call_output']);
      expect(requests).toHaveLength(3);
    });
  });

  it.each([
    ['a before b', '--r|', '------r|', ['call_a', 'call_b']],
    ['b before a', '------r|', '--r|', ['call_b', 'call_a']],
  ])('two surviving handlers answering %s: each lands with its call, in the order they answered, no duplicate', (_order, aTimes, bTimes, order) => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const { llm, requests } = scriptedService(scheduler, [atFrameOne(cold, calls('a', 'b')), answer(cold), answer(cold), answer(cold)]);
      llm.registerFunction('a', () => cold(aTimes, { r: 'A' }), { cancelOnInterruption: false });
      llm.registerFunction('b', () => cold(bTimes, { r: 'B' }), { cancelOnInterruption: false });
      const first = contextFrame('do both');
      const output: Frame[] = [];
      hot<Frame>('x-i', { x: first, i: new InterruptionFrame() }).pipe(llm.operator()).subscribe((frame) => output.push(frame));
      scheduler.flush();
      const tool = first.context.messages.filter((message) => message.role === 'tool').map((message) => (message as { tool_call_id: string }).tool_call_id);
      expect(tool).toEqual(order);
      const calledIds = first.context.messages.flatMap((message) => ('tool_calls' in message && message.tool_calls ? message.tool_calls.map((call) => call.id) : []));
      expect(calledIds).toEqual(order);
      expect(output.filter((frame) => frame.type === 'FunctionCallCancelFrame')).toEqual([]);
      // Each late answer ran the model: the second waited for the first run to end.
      expect(requests).toHaveLength(3);
    });
  });

  it('a timeout racing an intermediate result: progress does not disarm the deadline (Pipecat #5481)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const { llm } = scriptedService(scheduler, [atFrameOne(cold, calls('search')), answer(cold)], { functionCallTimeoutMs: 5 });
      llm.registerFunction(
        'search',
        ({ resultCallback }) => {
          scheduler.schedule(() => resultCallback('half way', { isFinal: false }), 2);
          scheduler.schedule(() => resultCallback('too late'), 9);
        },
        { cancelOnInterruption: false },
      );
      const output$ = hot<Frame>('x', { x: contextFrame() }).pipe(llm.operator());
      // Started at frame 1: progress at 3, the 5 ms deadline at 6 all the same; the answer at 10 is too late and ignored.
      expectObservable(labels(output$, scheduler)).toBe('Sr-p--td-E', {
        S: 'Start',
        r: 'End + started(search) + running(search)',
        p: 'progress(search=half way)',
        t: 'cancel(search) + Error(Function "search" did not answer within 5 ms (functionCallTimeoutMs)) + result(search={"error":"Function \\"search\\" did not answer within 5 ms (functionCallTimeoutMs)"}) + Start',
        d: '"done"',
        E: 'End',
      });
    });
  });
});

describe('what the follow-up carries (virtual time)', () => {
  it('with a slow stage before the assistant aggregator, the follow-up has the text, in the model\'s order, written once', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const events = new ResponseScript({ model: 'gpt-5' })
        .reasoning(['Checking the clock'], 'gAAAA-enc')
        .text('Let me check.')
        .functionCall({ name: 'now', arguments: {}, callId: 'call_now' })
        .completed();
      const { llm, requests } = scriptedService(scheduler, [atFrameOne(cold, events), answer(cold, '-d-c|', 'It is noon.')], { settings: { model: 'gpt-5' } });
      llm.registerFunction('now', () => cold('-r|', { r: '12:00' }));
      const context = new LLMContext([{ role: 'user', content: 'What time is it?' }]);
      const pair = new LLMContextAggregatorPair(context);
      // A text-to-speech stage, say: every frame reaches the assistant aggregator 10 frames late.
      hot<Frame>('x', { x: new LLMContextFrame({ context }) })
        .pipe(llm.operator(), delay(10, scheduler), pair.assistant())
        .subscribe();
      scheduler.flush();
      const followUp = requests[1]!.input as { type?: string; role?: string; content?: unknown }[];
      expect(followUp.map((item) => item.type ?? item.role)).toEqual(['message', 'reasoning', 'message', 'function_call', 'function_call_output']);
      expect(followUp[2]).toMatchObject({ role: 'assistant', content: 'Let me check.' });
      const said = context.messages.filter((message) => message.role === 'assistant' && typeof message.content === 'string').map((message) => ('content' in message ? message.content : undefined));
      expect(said).toEqual(['Let me check.', 'It is noon.']);
    });
  });
});
