import type { ReasoningItemData } from '../context/messages';
import type { MessagePhase } from '../frames';
import type { SpanLike } from './tracing';

/** A function call being streamed: filled as its item starts, its arguments stream in and its item finishes. */
export interface StreamedFunctionCall {
  /** The output item's id (what argument deltas refer to). */
  readonly itemId: string;
  /** The call id that pairs the call with its result. */
  callId: string;
  /** The function's name. */
  name: string;
  /** The arguments JSON so far. */
  arguments: string;
  /** Whether the arguments are complete. */
  done: boolean;
}

/**
 * What one streamed response has shown so far, whatever the provider. One inner subscription owns one state, so the
 * event mapping mutates it in place and the per-event cost stays at zero allocations.
 */
export interface ResponseState {
  /** The service name used in metrics. */
  readonly processor: string;
  /** The model the request asked for (metrics fall back to it). */
  readonly requestedModel: string;
  /** Whether any output event arrived yet: the first one stops the TTFB clock. */
  outputStarted: boolean;
  /** Whether a terminal event arrived: later events are ignored. */
  finished: boolean;
  /** Whether the response failed (an ErrorFrame was emitted for it). */
  failed: boolean;
  /** Whether a reasoning summary is open (LLMThoughtStartFrame sent, End not yet). */
  thinking: boolean;
  /** The phase of the message being streamed, when the API gives one. */
  phase: MessagePhase | undefined;
  /** The function calls of this response by item id, in output order. */
  readonly functionCalls: Map<string, StreamedFunctionCall>;
  /** The reasoning items of this response, to send back on later turns. */
  readonly reasoningItems: ReasoningItemData[];
  /** The response's trace span, when the service has a tracer (its function calls' spans are its children). */
  span?: SpanLike | undefined;
}

/** A fresh state for one response. */
export function createResponseState(processor: string, requestedModel: string): ResponseState {
  return { processor, requestedModel, outputStarted: false, finished: false, failed: false, thinking: false, phase: undefined, functionCalls: new Map(), reasoningItems: [] };
}
