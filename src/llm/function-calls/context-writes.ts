import type { LLMContext } from '../../context/llm-context';
import type { ChatToolCall, ReasoningItemData, ResponseItemData } from '../../context/messages';
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
 * Writes calls and their outputs into the context in one step, so no call is ever without its output: one assistant
 * message with what the model said before them (its reasoning, then its text, then the calls: sent in that order, as
 * the model produced them), then one tool message per call. Outputs are cleaned of credentials by `redact` first.
 */
export function appendCalls(
  context: LLMContext,
  calls: readonly PreparedCall[],
  outcomes: readonly CallOutcome[],
  said: Said,
  redact: (text: string) => string,
): void {
  const { text, reasoning, items } = said;
  context.addMessage({
    role: 'assistant',
    content: text || null,
    ...(reasoning.length > 0 ? { reasoning: [...reasoning] } : {}),
    ...(items && items.length > 0 ? { items: [...items] } : {}),
    tool_calls: calls.map(toolCallOf),
  });
  for (const call of calls) {
    const outcome = outcomes.find((candidate) => candidate.call === call);
    context.addMessage({ role: 'tool', tool_call_id: call.toolCallId, content: redact(outcome?.output ?? JSON.stringify({ error: 'no result' })) });
  }
}

/** What the model said before its calls: written with them, in this order (reasoning, other items, text, calls). */
export interface Said {
  readonly text: string;
  readonly reasoning: readonly ReasoningItemData[];
  /** Other output items that go back as they are (a program, an approval request, a client-executed tool's call). */
  readonly items?: readonly ResponseItemData[];
}

/** A prepared call as the context keeps it: a function's (with its caller, when a program made it) or a custom tool's. */
function toolCallOf(call: PreparedCall): ChatToolCall {
  if (call.custom) return { id: call.toolCallId, type: 'custom', custom: { name: call.functionName, input: call.rawArguments } };
  return { id: call.toolCallId, type: 'function', function: { name: call.functionName, arguments: call.rawArguments }, ...(call.caller ? { caller: call.caller } : {}) };
}

/** Writes a surviving call's late answer into its context: its call and output together, once (the ledger settled it). */
export function writeLateOutcome(outcome: LateOutcome, redact: (text: string) => string): void {
  appendCalls(outcome.context, [outcome.call], [outcome], { text: '', reasoning: [] }, redact);
}
