import { catchError, concat, defer, filter, finalize, from, isObservable, map, of, type Observable } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import type { ResponseItemData } from '../../context/messages';
import { isPromise } from '../../context/schemas';
import { FunctionCallError, SettingsValidationError, UnhandledOutputItemError, type RxResponsesError } from '../../errors/errors';
import type { Frame, McpApprovalRequestFrame } from '../../frames';
import { errorFrameFor } from '../../frames/error-frame-for';
import type { RecordedItem } from '../response-record';

/**
 * Executes an output item the app runs itself (a shell call, a patch, a computer action): gets the item as the API sent
 * it, returns the output item to send back (e.g. `{ type: 'shell_call_output', call_id, output }`).
 */
export type OutputItemHandler = (item: ResponseItemData) => ResponseItemData | Promise<ResponseItemData>;

/** Decides an MCP approval request for the app: `true` approves, `false` denies. */
export type McpApprovalPolicy = (request: McpApprovalRequestFrame) => boolean | Promise<boolean>;

/** What answering a response's items needs from the service. */
export interface ItemAnswerDeps {
  /** The handler of an item type, when the app registered one. */
  readonly handlerFor: (itemType: string) => OutputItemHandler | undefined;
  /** The app's MCP approval policy, when set. */
  readonly approvalPolicy: () => McpApprovalPolicy | undefined;
  /** Announces an approval request (the `mcpApprovalRequest` event). */
  readonly approvalRequested: (request: McpApprovalRequestFrame) => void;
  /** Announces an item nobody handles (the `unhandledOutputItem` event). */
  readonly unhandled: (itemType: string, item: ResponseItemData) => void;
  /** Cleans a frame of credentials before it leaves. */
  readonly redactFrame: <F extends Frame>(frame: F) => F;
  /** Cleans text of credentials (what goes back to the model). */
  readonly redact: (text: string) => string;
}

/** The items of one response as the app answers them, and once done, whether the model runs again. */
export interface ItemRound {
  /** ErrorFrames for items nobody could answer; never errors. */
  readonly frames$: Observable<Frame>;
  /** Whether an answer went into the context, so the model runs again (read once `frames$` completed). */
  readonly runLlm: () => boolean;
}

/**
 * Answers the items a response left to the app, one after another: an MCP approval request through the app's policy
 * (without one, the app answers later with an `McpApprovalResponseFrame`), a client-executed item through the handler of
 * its type. Each answer goes into the context as an item message. An item nobody can answer is taken out of the
 * context (the API would refuse a call without its output) and reported: an ErrorFrame and, when no handler is
 * registered, the `unhandledOutputItem` event. The items themselves went into the context with the response.
 */
export function answerItems(items: readonly RecordedItem[], context: LLMContext, deps: ItemAnswerDeps): ItemRound {
  let answered = false;
  const pending = new Set(items.filter((recorded) => recorded.kind === 'client').map((recorded) => recorded.item));
  const answer = (recorded: RecordedItem): Observable<Frame> =>
    defer(() => (recorded.kind === 'approval' ? approve(recorded.request!) : execute(recorded.item))).pipe(
      map((output): Frame | undefined => {
        pending.delete(recorded.item);
        if (output === undefined) return undefined;
        context.addMessage({ role: 'item', item: redacted(output, deps.redact) });
        answered = true;
        return undefined;
      }),
      catchError((error: unknown) => {
        pending.delete(recorded.item);
        if (recorded.kind === 'client') dropItem(context, recorded.item);
        return of(deps.redactFrame(errorFrameFor(error as RxResponsesError)));
      }),
      filter((frame): frame is Frame => frame !== undefined),
    );
  const frames$ = concat(...items.map(answer)).pipe(
    // Cancelled before every client item answered: those leave the context with their call unanswered.
    finalize(() => {
      for (const item of pending) dropItem(context, item);
      pending.clear();
    }),
  );
  return { frames$, runLlm: () => answered };

  function approve(request: McpApprovalRequestFrame): Observable<ResponseItemData | undefined> {
    deps.approvalRequested(request);
    const policy = deps.approvalPolicy();
    if (!policy) return of(undefined);
    return defer(() => settled(() => policy(request))).pipe(
      catchError((error: unknown) => {
        throw new FunctionCallError(`The MCP approval policy failed for request "${request.approvalRequestId}"; answer it with an McpApprovalResponseFrame`, 'mcpApproval', request.approvalRequestId, { cause: error });
      }),
      map((approve) => {
        if (typeof approve !== 'boolean') throw new SettingsValidationError('mcpApproval', 'a policy that returns a boolean (or a Promise of one)', approve);
        return { type: 'mcp_approval_response', approval_request_id: request.approvalRequestId, approve };
      }),
    );
  }

  function execute(item: ResponseItemData): Observable<ResponseItemData> {
    const handler = deps.handlerFor(item.type);
    if (!handler) {
      deps.unhandled(item.type, item);
      throw new UnhandledOutputItemError(item.type);
    }
    const callId = typeof item.call_id === 'string' ? item.call_id : '';
    return defer(() => settled(() => handler(item))).pipe(
      catchError((error: unknown) => {
        throw new FunctionCallError(`The handler for "${item.type}" items failed`, item.type, callId, { cause: error });
      }),
      map((output) => {
        if (output === null || typeof output !== 'object' || typeof (output as { type?: unknown }).type !== 'string') {
          throw new FunctionCallError(`The handler for "${item.type}" items must return the output item to send back (an object with a string type)`, item.type, callId);
        }
        return output;
      }),
    );
  }
}

/** An item with every credential taken out of its text (a handler's output can quote one), as JSON sees it. */
function redacted(item: ResponseItemData, redact: (text: string) => string): ResponseItemData {
  const json = JSON.stringify(item);
  const clean = redact(json);
  return clean === json ? item : (JSON.parse(clean) as ResponseItemData);
}

/** A value, a Promise or a throw, as an Observable of one value: a plain value answers at once (virtual time included). */
function settled<T>(run: () => T | Promise<T>): Observable<T> {
  const result = run();
  return isPromise(result) ? from(result) : isObservable(result) ? (result as Observable<T>) : of(result);
}


/** Takes an item nobody answered out of the assistant message that holds it. */
function dropItem(context: LLMContext, item: ResponseItemData): void {
  const messages = context.messages;
  const index = messages.findIndex((message) => message.role === 'assistant' && message.items?.includes(item));
  if (index === -1) return;
  const holder = messages[index]!;
  if (holder.role !== 'assistant') return;
  const items = holder.items!.filter((candidate) => candidate !== item);
  const { items: _items, ...rest } = holder;
  const replaced = items.length > 0 ? { ...holder, items } : rest;
  context.setMessages(messages.map((message, at) => (at === index ? replaced : message)));
}
