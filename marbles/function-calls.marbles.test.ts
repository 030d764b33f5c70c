import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import { FunctionCallLimitError, InterruptionFrame, type Frame } from '../src';
import { answerAfter, functionCallResponse } from '../src/testing';
import { contextFrame, ev, labels, scriptedService, testScheduler } from './support';

const calls = functionCallResponse([
  { name: 'a', arguments: {}, callId: 'call_a' },
  { name: 'b', arguments: {}, callId: 'call_b' },
]);
/** A whole response (the two-call one by default) as one cold stream that emits every event at frame 1 and completes there. */
function allAtFrameOne(cold: (marbles: string, values: Record<string, ResponseStreamEvent>) => Observable<ResponseStreamEvent>, events = calls) {
  const letters = events.map((_, index) => String.fromCharCode(65 + index));
  return cold(`-(${letters.join('')}|)`, Object.fromEntries(letters.map((letter, index) => [letter, events[index]!])));
}

function setup(scheduler: ReturnType<typeof testScheduler>, streams: Observable<ResponseStreamEvent>[], runInParallel: boolean) {
  return scriptedService(scheduler, streams, { runInParallel }).llm;
}

describe('function call timing (virtual time)', () => {
  function expectRun(runInParallel: boolean, marbles: string, values: Record<string, string>) {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const first = allAtFrameOne(cold);
      const followUp = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('done'), c: ev.completed });
      const llm = setup(scheduler, [first, followUp], runInParallel);
      llm.registerFunction('a', () => cold('---r|', { r: 'A' }));
      llm.registerFunction('b', () => cold('-----r|', { r: 'B' }));
      const output$ = hot<Frame>('x', { x: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe(marbles, values);
    });
  }

  it('runs handlers in parallel: both start together, the follow-up starts when the slower one answers', () => {
    expectRun(true, 'Sr--a-bt-E', {
      S: 'Start',
      r: 'End + started(a,b) + running(a) + running(b)',
      a: 'result(a=A)',
      b: 'result(b=B) + Start',
      t: '"done"',
      E: 'End',
    });
  });

  it('runs handlers in sequence: the second starts when the first answers', () => {
    expectRun(false, 'Sr--a 4ms bt-E', {
      S: 'Start',
      r: 'End + started(a,b) + running(a)',
      a: 'result(a=A) + running(b)',
      b: 'result(b=B) + Start',
      t: '"done"',
      E: 'End',
    });
  });

  it('an interruption during a handler unsubscribes it, aborts its signal, cancels it with a frame and runs no follow-up', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const { llm, requests } = scriptedService(scheduler, [allAtFrameOne(cold)], { runInParallel: true });
      const handlerAnswer = cold('------r|', { r: 'late' });
      const signals: AbortSignal[] = [];
      llm.registerFunction(null, ({ signal }) => {
        signals.push(signal);
        return handlerAnswer;
      });
      const output$ = hot<Frame>('x--i|', { x: contextFrame(), i: new InterruptionFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sr-i|', { S: 'Start', r: 'End + started(a,b) + running(a) + running(b)', i: 'cancel(a) + cancel(b) + Interruption' });
      expectSubscriptions(handlerAnswer.subscriptions).toBe(['-^-!', '-^-!']);
      scheduler.flush();
      expect(signals.map((signal) => signal.aborted)).toEqual([true, true]);
      expect(requests).toHaveLength(1);
    });
  });

  it('stops a turn whose model keeps calling functions after maxFunctionCallRounds follow-ups, and the next context still works', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold }) => {
      const callOnce = (callId: string) => allAtFrameOne(cold, functionCallResponse([{ name: 'a', arguments: {}, callId }]));
      const answer = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('fine'), c: ev.completed });
      const { llm, requests } = scriptedService(scheduler, [callOnce('call_1'), callOnce('call_2'), callOnce('call_3'), answer], { maxFunctionCallRounds: 2 });
      // An Observable answer: a Promise would settle outside virtual time.
      llm.registerFunction('a', () => cold('r|', { r: 'A' }));
      const first = contextFrame('loop');
      const frames: Frame[] = [];
      hot<Frame>('x---------y', { x: first, y: contextFrame('again') }).pipe(llm.operator()).subscribe((frame) => frames.push(frame));
      scheduler.flush();
      // The first response and two follow-ups ran; the third one's calls ran too, then the turn stopped.
      expect(requests.slice(0, 3).map((request) => (request.input as unknown[]).length)).toEqual([1, 3, 5]);
      const errors = frames.filter((frame) => frame.type === 'ErrorFrame');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.exception).toBeInstanceOf(FunctionCallLimitError);
      expect((errors[0]!.exception as FunctionCallLimitError).rounds).toBe(2);
      expect(errors[0]!.error).toMatch(/after 2 follow-up responses \(maxFunctionCallRounds\)/);
      // Every call has its result in the context (a valid next request), and the next context got its answer.
      expect(first.context.messages.filter((message) => message.role === 'tool')).toHaveLength(3);
      expect(requests).toHaveLength(4);
      expect(frames.filter((frame) => frame.type === 'LLMTextFrame').map((frame) => frame.text)).toEqual(['fine']);
    });
  });
});

describe('handlers in virtual time', () => {
  it('a plain value answers at the frame its call starts; an Observable stand-in for a Promise (answerAfter) when it emits', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, cold, expectObservable }) => {
      const followUp = cold<ResponseStreamEvent>('-d-c|', { d: ev.delta('done'), c: ev.completed });
      const llm = setup(scheduler, [allAtFrameOne(cold), followUp], true);
      llm.registerFunction('a', () => 'A');
      llm.registerFunction('b', () => answerAfter(4, 'B'));
      const output$ = hot<Frame>('x', { x: contextFrame() }).pipe(llm.operator());
      expectObservable(labels(output$, scheduler)).toBe('Sr---bt-E', {
        S: 'Start',
        r: 'End + started(a,b) + running(a) + result(a=A) + running(b)',
        b: 'result(b=B) + Start',
        t: '"done"',
        E: 'End',
      });
    });
  });
});
