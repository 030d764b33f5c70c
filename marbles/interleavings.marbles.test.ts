/**
 * Property (virtual time): for any interleaving of contexts, interruptions, appends, good and bad settings frames and
 * responses that stream, stall, break or fail, Start/End alternate properly, the output never errors or completes,
 * every stream is released, nothing stays scheduled, and the next context gets its answer.
 */
import fc from 'fast-check';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextFrame,
  LLMMessagesAppendFrame,
  LLMRequestError,
  LLMUpdateSettingsFrame,
  OpenAIResponsesLLMService,
  TextFrame,
  type Frame,
} from '../src';
import type { ResponsesStreamRequest } from '../src/services/openai-responses/request';
import { ResponseScript } from '../src/testing';
import { ev, testScheduler } from './support';

const KINDS = ['ok', 'slow', 'broken', 'hung', 'errorEvent', 'http500'] as const;
type Kind = (typeof KINDS)[number];
const ACTIONS = ['context', 'append', 'interrupt', 'settings', 'badSettings', 'passThrough'] as const;
const errorEvent = new ResponseScript().error('Overloaded').at(-1)!;

/** The kind of response a request asked for: its last user message names it. */
function kindOf(request: ResponsesStreamRequest): Kind {
  const items = (request.input ?? []) as { role?: string; content?: unknown }[];
  const last = [...items].reverse().find((item) => item.role === 'user');
  return (KINDS as readonly string[]).includes(String(last?.content)) ? (last!.content as Kind) : 'ok';
}

const command = fc.record({ gap: fc.integer({ min: 1, max: 6 }), action: fc.constantFrom(...ACTIONS), kind: fc.constantFrom(...KINDS) });

describe('any interleaving keeps the pipeline sound (virtual time)', () => {
  it('Start/End alternate, the output never errors, streams are released, the next context answers', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 10 }), (commands) => {
        const scheduler = testScheduler();
        scheduler.run(({ hot, cold }) => {
          const streams: ReturnType<typeof cold<ResponseStreamEvent>>[] = [];
          const open = (request: ResponsesStreamRequest): Observable<ResponseStreamEvent> => {
            const kind = kindOf(request);
            const stream =
              kind === 'http500'
                ? cold<ResponseStreamEvent>('#', {}, new LLMRequestError('LLM request failed with HTTP 500: busy', { status: 500, retryAfterMs: 2 }))
                : cold<ResponseStreamEvent>(
                    { ok: '-d-c|', slow: '--d--d--c|', broken: '-d#', hung: '-', errorEvent: '-d-e|' }[kind],
                    { d: ev.delta(kind), c: ev.completed, e: errorEvent },
                    new Error('socket hang up'),
                  );
            streams.push(stream);
            return stream;
          };
          const llm = new OpenAIResponsesLLMService({ scheduler, openStream: open, completionTimeoutMs: 8, maxRetries: 1, logger: { warn() {}, error() {} } });
          const frameFor = (action: (typeof ACTIONS)[number], kind: Kind): Frame => {
            switch (action) {
              case 'context':
                return new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: kind }]) });
              case 'append':
                return new LLMMessagesAppendFrame({ messages: [{ role: 'user', content: kind }], runLlm: true });
              case 'interrupt':
                return new InterruptionFrame();
              case 'settings':
                return new LLMUpdateSettingsFrame({ delta: { temperature: 0.5 } });
              case 'badSettings':
                return new LLMUpdateSettingsFrame({ delta: { temperature: 9 } });
              case 'passThrough':
                return new TextFrame({ text: 'pass' });
            }
          };
          // The commands as a hot source, then a final context well after every deadline and retry could have fired.
          let marble = '';
          const values: Record<string, Frame> = {};
          commands.forEach(({ gap, action, kind }, index) => {
            const letter = String.fromCharCode(97 + index);
            marble += '-'.repeat(gap - 1) + letter;
            values[letter] = frameFor(action, kind);
          });
          marble += '-'.repeat(40) + 'z';
          values.z = new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'ok' }]) });
          const output: Frame[] = [];
          let failed: unknown;
          let completed = false;
          hot<Frame>(marble, values)
            .pipe(llm.operator())
            .subscribe({ next: (frame) => output.push(frame), error: (error) => (failed = error), complete: () => (completed = true) });
          scheduler.flush();

          expect(failed).toBeUndefined();
          expect(completed).toBe(false);
          let responseOpen = false;
          for (const frame of output) {
            if (frame.type === 'LLMFullResponseStartFrame') {
              expect(responseOpen).toBe(false);
              responseOpen = true;
            } else if (frame.type === 'LLMFullResponseEndFrame') {
              expect(responseOpen).toBe(true);
              responseOpen = false;
            }
          }
          expect(responseOpen).toBe(false);
          const last = output.slice(output.map((frame) => frame.type).lastIndexOf('LLMFullResponseStartFrame'));
          expect(last.map((frame) => frame.type)).toEqual(expect.arrayContaining(['LLMTextFrame', 'LLMFullResponseEndFrame']));
          expect(last.find((frame) => frame.type === 'LLMTextFrame')).toMatchObject({ text: 'ok' });
          for (const stream of streams) for (const subscription of stream.subscriptions) expect(subscription.unsubscribedFrame).not.toBe(Infinity);
          expect(scheduler.actions).toEqual([]);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('unsubscribing at any moment releases every stream and leaves nothing scheduled', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 40 }), (commands, unsubscribeAt) => {
        const scheduler = testScheduler();
        scheduler.run(({ hot, cold }) => {
          const streams: ReturnType<typeof cold<ResponseStreamEvent>>[] = [];
          const llm = new OpenAIResponsesLLMService({
            scheduler,
            completionTimeoutMs: 30,
            logger: { warn() {}, error() {} },
            openStream: () => {
              const stream = cold<ResponseStreamEvent>('--d--d--d--c|', { d: ev.delta('x'), c: ev.completed });
              streams.push(stream);
              return stream;
            },
          });
          llm.registerFunction(null, () => cold('----r|', { r: 'done' }));
          let marble = '';
          const values: Record<string, Frame> = {};
          commands.forEach(({ gap, action }, index) => {
            const letter = String.fromCharCode(97 + index);
            marble += '-'.repeat(gap - 1) + letter;
            values[letter] = action === 'interrupt' ? new InterruptionFrame() : new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'x' }]) });
          });
          const subscription = hot<Frame>(marble, values).pipe(llm.operator()).subscribe();
          scheduler.schedule(() => subscription.unsubscribe(), unsubscribeAt);
          scheduler.flush();
          for (const stream of streams) for (const entry of stream.subscriptions) expect(entry.unsubscribedFrame).toBeLessThanOrEqual(Math.max(unsubscribeAt, entry.subscribedFrame));
          expect(scheduler.actions).toEqual([]);
        });
      }),
      { numRuns: 150 },
    );
  });
});
