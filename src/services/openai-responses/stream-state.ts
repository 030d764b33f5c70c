import type { ReasoningItemData } from '../../context/messages';

/** A function call being streamed: filled by `output_item.added`, the argument deltas and `output_item.done`. */
export interface StreamedFunctionCall {
  /** The output item's id (what argument deltas refer to). */
  readonly itemId: string;
  /** The `call_id` that pairs the call with its result. */
  callId: string;
  /** The function's name. */
  name: string;
  /** The arguments JSON so far. */
  arguments: string;
  /** Whether the arguments are complete (`function_call_arguments.done` or `output_item.done`). */
  done: boolean;
}

/**
 * What one streamed response has shown so far. One inner subscription owns one state, so mutating it is safe
 * and keeps the per-event cost at zero allocations.
 */
export interface ResponseStreamState {
  /** The service name used in metrics. */
  readonly processor: string;
  /** The model the request asked for (metrics fall back to it). */
  readonly requestedModel: string;
  /** Values no message may show (the API key): server messages can quote it. */
  readonly secrets: readonly (string | undefined)[];
  /** Whether any output event arrived yet: the first one stops the TTFB clock. */
  outputStarted: boolean;
  /** Whether a terminal event (completed, failed, incomplete, error) arrived: later events are ignored. */
  finished: boolean;
  /** Whether the terminal event was a failure (an ErrorFrame was emitted for it). */
  failed: boolean;
  /** Whether a reasoning summary is open (LLMThoughtStartFrame sent, End not yet). */
  thinking: boolean;
  /** The function calls of this response by item id, in output order. */
  readonly functionCalls: Map<string, StreamedFunctionCall>;
  /** The reasoning items of this response, to send back on later turns. */
  readonly reasoningItems: ReasoningItemData[];
}

/** A fresh state for one response. */
export function createStreamState(processor: string, requestedModel: string, secrets: readonly (string | undefined)[] = []): ResponseStreamState {
  return {
    processor,
    requestedModel,
    secrets,
    outputStarted: false,
    finished: false,
    failed: false,
    thinking: false,
    functionCalls: new Map(),
    reasoningItems: [],
  };
}
