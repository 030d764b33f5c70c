import type { Observable } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import type { RxResponsesError } from '../errors/errors';
import type { Frame } from '../frames';
import type { ResponseRecord } from './response-record';
import type { SpanAttributeValue } from './tracing';

/** Receives frames, in order. */
export type FrameSink = (frame: Frame) => void;

/**
 * The provider contract: everything the core needs from an API to stream one response. A provider opens the events of
 * a request and maps each event; the core does the rest (brackets, metrics, deadlines, retries, function calls,
 * cancellation, redaction, tracing). Both OpenAI services implement it; a new provider is a folder with one of these.
 * @example
 * const echo: LLMProvider<string, { model: string }> = {
 *   system: 'echo',
 *   openEvents: (context) => of(String(context.messages.at(-1)?.content), 'END'),
 *   isOutputEvent: () => true,
 *   mapEvent: (event, response, emit) => (event === 'END' ? (response.finished = true) : emit(new LLMTextFrame({ text: event }))),
 *   toError: (error) => new LLMStreamError(String(error)),
 * };
 */
export interface LLMProvider<Event, Settings extends { readonly model: string }> {
  /** The provider's name in traces (the `gen_ai.system` attribute), e.g. `openai`. */
  readonly system: string;
  /** Builds the request for a context and settings and opens its events; unsubscribing must abort the request. */
  openEvents(context: LLMContext, settings: Settings): Observable<Event>;
  /** Whether an event is the model's output rather than a preamble: the first one stops TTFB and the first-output deadline. */
  isOutputEvent(event: Event): boolean;
  /**
   * Maps one event (pure): emits its content frames (text, thoughts, refusals, annotations, hosted tool progress) and
   * records everything else in `response` (calls, reasoning, usage, the end and its failure); the core emits the rest.
   */
  mapEvent(event: Event, response: ResponseRecord, emit: FrameSink): void;
  /** Turns anything `openEvents` failed with into a typed error with a clear message. */
  toError(error: unknown): RxResponsesError;
  /**
   * The request parameters a request for these settings sends, as GenAI semantic-convention attributes
   * (`gen_ai.request.temperature`, …): read only when tracing. Optional.
   */
  requestAttributes?(context: LLMContext, settings: Settings): Readonly<Record<string, SpanAttributeValue>>;
}
