import type { ReasoningItemData, ResponseItemData } from '../context/messages';
import type { RxResponsesError } from '../errors/errors';
import type { McpApprovalRequestFrame, MessagePhase } from '../frames';
import type { LLMTokenUsage } from '../frames/metrics-frames';

/** A function call being streamed: filled as its item starts, its arguments stream in and its item finishes. */
export interface StreamedFunctionCall {
  /** The output item's id (what argument deltas refer to): the first one seen, when a server changes it per event. */
  readonly itemId: string;
  /** The item's place in the response's output, when the server gives it (calls run in this order). */
  readonly outputIndex?: number | undefined;
  /** The call id that pairs the call with its result. */
  callId: string;
  /** The function's name. */
  name: string;
  /** The arguments JSON so far. */
  arguments: string;
  /** Whether the arguments are complete. */
  done: boolean;
  /** The output item that called it, when not the model itself (programmatic tool calling), as the API gave it. */
  caller?: Readonly<Record<string, unknown>> | undefined;
  /** Whether it is a custom tool's call: `arguments` is then the raw text input, not JSON. */
  custom?: boolean | undefined;
}

/** An output item that is not text, reasoning, a function call or a hosted tool's: the app answers it, or it goes back as it is. */
export interface RecordedItem {
  /** `approval`: an MCP approval request; `client`: a tool the app executes; `kept`: sent back as it is (a program). */
  readonly kind: 'approval' | 'client' | 'kept';
  /** The item, as the API sent it. */
  readonly item: ResponseItemData;
  /** An approval's request, as the app was shown it (the same frame). */
  readonly request?: McpApprovalRequestFrame | undefined;
}

/**
 * What a provider's event mapping records of one response, for the core to act on: whether it ended and how, its
 * usage, its calls and reasoning. One response owns one record, mutated in place (zero allocations per event).
 */
export interface ResponseRecord {
  /** The model the request asked for (metrics fall back to it). */
  readonly requestedModel: string;
  /** Whether the terminal event arrived: the core closes the response, later events are not read. */
  finished: boolean;
  /** What the terminal event reported as the response's failure (an error event, `failed`, `incomplete`). */
  error: RxResponsesError | undefined;
  /** The token usage the response reported, when it did. */
  usage: LLMTokenUsage | undefined;
  /** The model that answered, when the server said. */
  model: string | undefined;
  /** Whether a reasoning summary is open (LLMThoughtStartFrame sent, End not yet). */
  thinking: boolean;
  /** The phase of the message being streamed, when the API gives one. */
  phase: MessagePhase | undefined;
  /** The id of the message item being streamed, when the API gives one (what a cut-off answer is sent back as). */
  messageId: string | undefined;
  /** The response's id, as the API gave it (`resp_…`, `chatcmpl-…`), when it did. */
  responseId: string | undefined;
  /** Why the model stopped, as the GenAI conventions name it (`stop`, `length`, `tool_calls`, `content_filter`, `error`). */
  finishReason: string | undefined;
  /** Refusal text gathered so far, for providers that announce it only at the end. */
  refusal: string;
  /**
   * The answer's text, as the provider records it once it is whole (not per token): a response with function calls
   * has it written into the context with them.
   */
  text: string;
  /** The function calls of this response, keyed by output index (or item id), in the order they started. */
  readonly functionCalls: Map<string, StreamedFunctionCall>;
  /** Hosted tool items whose last status was not final, by item id, with their tool: the terminal event closes them. */
  readonly openHostedItems: Map<string, string>;
  /** The reasoning items of this response, to send back on later turns. */
  readonly reasoningItems: ReasoningItemData[];
  /** Its other output items, in output order (approvals, client-executed tools, programs). */
  readonly outputItems: RecordedItem[];
}

/** Empties a record for another attempt of its response (what the failed or empty one recorded is not kept). */
export function resetRecord(record: ResponseRecord): void {
  record.finished = false;
  record.error = undefined;
  record.usage = undefined;
  record.model = undefined;
  record.thinking = false;
  record.phase = undefined;
  record.messageId = undefined;
  record.finishReason = undefined;
  record.responseId = undefined;
  record.refusal = '';
  record.text = '';
  record.functionCalls.clear();
  record.openHostedItems.clear();
  record.reasoningItems.length = 0;
  record.outputItems.length = 0;
}

/** The key of who produced a response's reasoning: the service and the model asked (see `ReasoningItemData.origin`). */
export function reasoningOrigin(service: string, model: string): string {
  return `${service}|${model}`;
}

/** A response's reasoning items, marked with who produced them, for the context. */
export function reasoningWithOrigin(record: ResponseRecord, service: string): ReasoningItemData[] {
  const origin = reasoningOrigin(service, record.requestedModel);
  return record.reasoningItems.map((item) => ({ ...item, origin }));
}

/** A fresh record for one response. */
export function createResponseRecord(requestedModel: string): ResponseRecord {
  return {
    requestedModel,
    finished: false,
    error: undefined,
    usage: undefined,
    model: undefined,
    thinking: false,
    phase: undefined,
    messageId: undefined,
    finishReason: undefined,
    responseId: undefined,
    refusal: '',
    text: '',
    functionCalls: new Map(),
    openHostedItems: new Map(),
    reasoningItems: [],
    outputItems: [],
  };
}
