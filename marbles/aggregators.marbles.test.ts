import {
  InterimTranscriptionFrame,
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMFullResponseEndFrame,
  LLMFullResponseStartFrame,
  LLMTextFrame,
  TextFrame,
  TranscriptionFrame,
  UserStartedSpeakingFrame,
  UserStoppedSpeakingFrame,
  type Frame,
} from '../src';
import { labels, testScheduler } from './support';

describe('user aggregator', () => {
  it('turns each final input into a user message and an LLMContextFrame at that frame; other frames pass', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const pair = new LLMContextAggregatorPair(new LLMContext());
      const frames = { t: new TranscriptionFrame({ text: ' Hello ' }), x: new TextFrame({ text: 'Typed' }), e: new TextFrame({ text: '   ' }), s: new LLMTextFrame({ text: 'other' }) };
      expectObservable(labels(hot<Frame>('t-s-e-x|', frames).pipe(pair.user()), scheduler)).toBe('c-o---c|', { c: 'Context', o: '"other"' });
      scheduler.flush();
      expect(pair.context.messages).toEqual([
        { role: 'user', content: 'Hello' },
        { role: 'user', content: 'Typed' },
      ]);
    });
  });

  it('while the user speaks, gathers the finals, folds the interims, and sends one message when they stop', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const pair = new LLMContextAggregatorPair();
      const frames = {
        b: new UserStartedSpeakingFrame(),
        i: new InterimTranscriptionFrame({ text: 'hel' }),
        t: new TranscriptionFrame({ text: 'hello' }),
        j: new InterimTranscriptionFrame({ text: 'wor' }),
        u: new TranscriptionFrame({ text: 'world' }),
        e: new UserStoppedSpeakingFrame(),
      };
      expectObservable(labels(hot<Frame>('b-i-t-j-u-e|', frames).pipe(pair.user()), scheduler)).toBe('b 9ms e|', {
        b: 'UserStartedSpeakingFrame',
        e: 'UserStoppedSpeakingFrame + Context',
      });
      scheduler.flush();
      expect(pair.context.messages).toEqual([{ role: 'user', content: 'hello world' }]);
    });
  });

  it('the LLMContextFrame carries the shared context', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot }) => {
      const context = new LLMContext([{ role: 'system', content: 'Be brief.' }]);
      const pair = new LLMContextAggregatorPair(context);
      const out: Frame[] = [];
      hot<Frame>('t', { t: new TextFrame({ text: 'Hi' }) }).pipe(pair.user()).subscribe((frame) => out.push(frame));
      scheduler.flush();
      expect(out[0]?.type === 'LLMContextFrame' && out[0].context).toBe(context);
    });
  });
});

describe('assistant aggregator', () => {
  const frames = {
    s: new LLMFullResponseStartFrame(),
    a: new LLMTextFrame({ text: 'The capital ' }),
    b: new LLMTextFrame({ text: 'is Paris.' }),
    e: new LLMFullResponseEndFrame(),
    i: new InterruptionFrame(),
  };

  it('gathers the text between Start and End into one assistant message; every frame passes', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot, expectObservable }) => {
      const pair = new LLMContextAggregatorPair();
      expectObservable(labels(hot<Frame>('s-a-b-e|', frames).pipe(pair.assistant()), scheduler)).toBe('S-a-b-E|', {
        S: 'Start',
        a: '"The capital "',
        b: '"is Paris."',
        E: 'End',
      });
      scheduler.flush();
      expect(pair.context.messages).toEqual([{ role: 'assistant', content: 'The capital is Paris.' }]);
    });
  });

  it('on an interruption keeps what was said so far and nothing more', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot }) => {
      const pair = new LLMContextAggregatorPair();
      // As the service emits it: the cancelled response is closed, then the interruption is forwarded.
      hot<Frame>('s-a-e-i-b|', frames).pipe(pair.assistant()).subscribe();
      scheduler.flush();
      expect(pair.context.messages).toEqual([{ role: 'assistant', content: 'The capital ' }]);
    });
  });

  it('also keeps the partial text when a response is interrupted without an End', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot }) => {
      const pair = new LLMContextAggregatorPair();
      hot<Frame>('s-a-i-b-e|', frames).pipe(pair.assistant()).subscribe();
      scheduler.flush();
      expect(pair.context.messages).toEqual([{ role: 'assistant', content: 'The capital ', status: 'incomplete' }]);
    });
  });

  it('adds nothing for a response without text (e.g. one that only calls functions)', () => {
    const scheduler = testScheduler();
    scheduler.run(({ hot }) => {
      const pair = new LLMContextAggregatorPair();
      hot<Frame>('s-e|', frames).pipe(pair.assistant()).subscribe();
      scheduler.flush();
      expect(pair.context.messages).toEqual([]);
    });
  });
});
