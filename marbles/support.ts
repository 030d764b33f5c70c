import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame, type OpenAIResponsesLLMServiceOptions, type ResponsesStreamRequest } from '../src';
import { ResponseScript } from '../src/testing';

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

/** A short readable name: text frames by their text, the rest by a letter or type. */
export function describe(frame: Frame): string {
  switch (frame.type) {
    case 'LLMTextFrame':
      return `"${frame.text}"`;
    case 'LLMFullResponseStartFrame':
      return 'Start';
    case 'LLMFullResponseEndFrame':
      return 'End';
    case 'MetricsFrame':
      return `Metrics(${frame.data.map((data) => `${data.kind}=${typeof data.value === 'number' ? data.value * 1000 : 'usage'}`).join(',')})`;
    case 'ErrorFrame':
      return `Error(${frame.error})`;
    case 'TextFrame':
      return `Text(${frame.text})`;
    default:
      return frame.type;
  }
}

/** Subscribes and logs `frame: description` for every output frame, plus `frame: complete`. */
export function timeline(output$: Observable<Frame>, scheduler: TestScheduler, options: { metrics?: boolean } = {}): string[] {
  const log: string[] = [];
  output$.subscribe({
    next: (frame) => {
      if (frame.type === 'MetricsFrame' && !options.metrics) return;
      log.push(`${scheduler.now()}: ${describe(frame)}`);
    },
    error: (error) => log.push(`${scheduler.now()}: ERROR ${String(error)}`),
    complete: () => log.push(`${scheduler.now()}: complete`),
  });
  return log;
}

/** A service on the test scheduler whose openStream hands out the given cold streams in order and records each request. */
export function scriptedService(scheduler: TestScheduler, streams: Observable<ResponseStreamEvent>[], options: OpenAIResponsesLLMServiceOptions = {}) {
  const requests: ResponsesStreamRequest[] = [];
  const llm = new OpenAIResponsesLLMService({
    ...options,
    scheduler,
    openStream: (request) => {
      requests.push(request);
      const next = streams.shift();
      if (!next) throw new Error('no more scripted streams');
      return next;
    },
  });
  return { llm, requests };
}
