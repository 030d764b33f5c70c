import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { incrementalInput, type IncrementalInput, type LastResponse } from './incremental-input';

/**
 * The server-side chain of one conversation (a WebSocket connection, or a service with `store: true`): the last response
 * delivered whole, so the next request can send only its new input with `previous_response_id`.
 */
export class ResponseChain {
  /** The last response delivered whole, with the full input it answered. */
  private last: LastResponse | undefined;

  /**
   * What to send for a request's full input: only the new items with `previous_response_id` when the chain allows it,
   * and only for the model that produced the last response (another model starts over: the chain holds reasoning it
   * cannot read).
   */
  plan(full: readonly ResponseInputItem[], model: string | undefined): IncrementalInput {
    return incrementalInput(full, this.last?.model === model ? this.last : undefined);
  }

  /**
   * A response ended with `terminal`: only one delivered whole is what the context holds next turn, so only it chains;
   * and only one with an answer: reasoning alone (an empty answer, asked again) must not be what the next request extends.
   */
  settle(full: readonly ResponseInputItem[], model: string | undefined, terminal: ResponseStreamEvent): void {
    const answered = terminal.type === 'response.completed' && terminal.response.output.some((item) => item.type !== 'reasoning');
    this.last = answered ? { id: terminal.response.id, input: full, output: terminal.response.output, model } : undefined;
  }

  /** The chain is broken (a dropped connection, a failed response, a server that lost it): the next request sends everything. */
  forget(): void {
    this.last = undefined;
  }
}

/**
 * Whether an error event or error says the server no longer holds the chain (`previous_response_not_found`), in the
 * nested shape the live API sends, the flat one the openai types describe, or as an HTTP error's code.
 */
export function isChainLost(eventOrError: unknown): boolean {
  if (eventOrError === null || typeof eventOrError !== 'object') return false;
  const candidate = eventOrError as { readonly code?: unknown; readonly error?: { readonly code?: unknown } | null };
  const code = candidate.error && typeof candidate.error === 'object' ? candidate.error.code : candidate.code;
  return code === 'previous_response_not_found';
}
