import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame, type OpenAIResponsesLLMServiceOptions } from '../src';
import { ResponseScript, scriptedOpenStream } from '../src/testing';

/** A TestScheduler whose deep-equality is jest's. */
export const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const template = new ResponseScript({ id: 'resp_marble' }).text('x').completed({ inputTokens: 3, outputTokens: 1 });
const byType = (type: string) => template.find((event) => event.type === type)!;

/** Single events for cold observables: `cold('-d-c|', { d: ev.delta('Hi'), c: ev.completed })`. */
export const ev = {
  created: byType('response.created'),
  delta: (text: string) => ({ ...byType('response.output_text.delta'), delta: text }) as ResponseStreamEvent,
  completed: byType('response.completed'),
  failed: new ResponseScript().failed('boom').at(-1)!,
};

/** A context frame with one user message. */
export const contextFrame = (text = 'Hi') => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });

/** A frame's label in a diagram's values: text frames by their quoted text, the rest by a short name. */
export function label(frame: Frame): string {
  switch (frame.type) {
    case 'LLMTextFrame':
      return `"${frame.text}"`;
    case 'LLMFullResponseStartFrame':
      return 'Start';
    case 'LLMFullResponseEndFrame':
      return 'End';
    case 'MetricsFrame':
      return frame.data.map((data) => (data.kind === 'usage' ? 'usage' : `${data.kind}=${data.value * 1000}`)).join(',');
    case 'ErrorFrame':
      return `Error(${frame.error})`;
    case 'TextFrame':
      return `Text(${frame.text})`;
    case 'FunctionCallsStartedFrame':
      return `started(${frame.functionCalls.map((call) => call.functionName).join(',')})`;
    case 'FunctionCallInProgressFrame':
      return `running(${frame.functionName})`;
    case 'FunctionCallResultFrame':
      return `${frame.final ? 'result' : 'progress'}(${frame.functionName}=${typeof frame.result === 'object' ? JSON.stringify(frame.result) : String(frame.result)})`;
    case 'FunctionCallCancelFrame':
      return `cancel(${frame.functionName})`;
    case 'InterruptionFrame':
      return 'Interruption';
    case 'LLMContextFrame':
      return 'Context';
    default:
      return frame.type;
  }
}

/**
 * The frames as labels, those of one virtual frame joined with ' + ' into one value, so a marble diagram has one letter
 * per frame: `expectObservable(labels(output$, scheduler)).toBe('S o 2ms x', { S: 'Start', o: '"old"', x: 'End + Start' })`.
 * Metrics frames are left out unless asked for.
 */
export function labels(output$: Observable<Frame>, scheduler: TestScheduler, options: { metrics?: boolean } = {}): Observable<string> {
  return new Observable<string>((subscriber) => {
    // Labels of the current virtual frame, not yet emitted.
    let pending: string[] = [];
    // Whether a flush at the end of the current frame is scheduled.
    let flushScheduled = false;
    const emitPending = () => {
      if (pending.length === 0) return;
      const joined = pending.join(' + ');
      pending = [];
      subscriber.next(joined);
    };
    const flushAtEndOfFrame = () => {
      // Another action of this frame is still queued (e.g. a cold stream's first event): it may add labels, so wait.
      if (scheduler.actions.some((action) => action.delay <= scheduler.frame)) {
        scheduler.schedule(flushAtEndOfFrame, 0);
        return;
      }
      flushScheduled = false;
      emitPending();
    };
    return output$.subscribe({
      next: (frame) => {
        if (frame.type === 'MetricsFrame' && !options.metrics) return;
        pending.push(label(frame));
        if (!flushScheduled) {
          flushScheduled = true;
          scheduler.schedule(flushAtEndOfFrame, 0);
        }
      },
      error: (error: unknown) => {
        emitPending();
        subscriber.error(error);
      },
      complete: () => {
        emitPending();
        subscriber.complete();
      },
    });
  });
}

/** A service on the test scheduler whose openStream (the testing kit's) hands out the given cold streams in order. */
export function scriptedService(scheduler: TestScheduler, streams: Observable<ResponseStreamEvent>[], options: OpenAIResponsesLLMServiceOptions = {}) {
  const openStream = scriptedOpenStream(streams);
  const llm = new OpenAIResponsesLLMService({ logger: { warn() {}, error() {} }, ...options, scheduler, openStream });
  return { llm, requests: openStream.requests };
}
