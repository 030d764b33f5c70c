import type { LLMContext } from '../../context/llm-context';
import type { ReasoningItemData } from '../../context/messages';
import type { PreparedCall } from './prepare-call';

/** One finished call: what goes back to the model. */
export interface CallOutcome {
  readonly call: PreparedCall;
  /** The text sent as `function_call_output`. */
  readonly output: string;
  /** Whether this call asks for the model to run again. */
  readonly runLlm: boolean;
  /** Whether its handler outlives an interruption. */
  readonly survives: boolean;
}

/** A call that answered after its turn was gone, with the conversation it belongs to. */
export interface LateOutcome extends CallOutcome {
  readonly context: LLMContext;
}

/**
 * Writes calls and their outputs into the context in one step, so no call is ever without its output: the assistant's
 * calls (after the response's reasoning, when it had some), then one tool message per call. Outputs are cleaned of
 * credentials by `redact` first.
 */
export function appendCalls(
  context: LLMContext,
  calls: readonly PreparedCall[],
  outcomes: readonly CallOutcome[],
  reasoning: readonly ReasoningItemData[],
  redact: (text: string) => string,
): void {
  context.addMessage({
    role: 'assistant',
    content: null,
    ...(reasoning.length > 0 ? { reasoning: [...reasoning] } : {}),
    tool_calls: calls.map((call) => ({ id: call.toolCallId, type: 'function', function: { name: call.functionName, arguments: call.rawArguments } })),
  });
  for (const call of calls) {
    const outcome = outcomes.find((candidate) => candidate.call === call);
    context.addMessage({ role: 'tool', tool_call_id: call.toolCallId, content: redact(outcome?.output ?? JSON.stringify({ error: 'no result' })) });
  }
}

/** Writes a surviving call's late answer into its context: its call and output together, once (the ledger settled it). */
export function writeLateOutcome(outcome: LateOutcome, redact: (text: string) => string): void {
  appendCalls(outcome.context, [outcome.call], [outcome], [], redact);
}
