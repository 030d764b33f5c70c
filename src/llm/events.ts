import { filter, type Subject } from 'rxjs';
import type { ResponseItemData } from '../context/messages';
import type { FunctionCallFromLLM, McpApprovalRequestFrame } from '../frames';

/** The events a service emits, by name, with their handler arguments after the service itself. */
export interface ServiceEventArgs {
  /** No (further) output arrived within `completionTimeoutMs`. */
  completionTimeout: [];
  /** The model asked for function calls; handlers are about to run. */
  functionCallsStarted: [functionCalls: readonly FunctionCallFromLLM[]];
  /** Handlers were cancelled (an interruption, a newer context): Pipecat's `on_function_calls_cancelled`. */
  functionCallsCancelled: [functionCalls: readonly FunctionCallFromLLM[]];
  /** A response completed with nothing for the user; `willRetry` says whether it is asked again (`emptyResponseRetries`). */
  emptyResponse: [willRetry: boolean];
  /** The model asked the app to approve a hosted MCP tool's call (the same request goes downstream as a frame). */
  mcpApprovalRequest: [request: McpApprovalRequestFrame];
  /** The model sent an item the app executes and no handler is registered for its type (an ErrorFrame says so too). */
  unhandledOutputItem: [itemType: string, item: ResponseItemData];
  /** A connection the service keeps (the WebSocket transport's) dropped; a response without output yet is sent again. */
  connectionError: [error: Error];
}

/** An event's name. */
export type ServiceEventName = keyof ServiceEventArgs;

/** One event on `llm.events$`. */
export type ServiceEvent<S = unknown> = {
  [K in ServiceEventName]: { readonly name: K; readonly service: S; readonly args: ServiceEventArgs[K] };
}[ServiceEventName];

/** A handler registered with `llm.on(name, handler)`; it may be async. A throw or rejection is logged, never rethrown. */
export type ServiceEventHandler<S, K extends ServiceEventName> = (service: S, ...args: ServiceEventArgs[K]) => unknown;

/**
 * Calls `handler` for each event of that name on `events`, as `llm.on` does: a handler's throw or rejection goes to
 * `failed`, never to the pipeline. Returns a function that removes it.
 */
export function listen<S, K extends ServiceEventName>(events: Subject<ServiceEvent<S>>, name: K, handler: ServiceEventHandler<S, K>, failed: (error: unknown) => void): () => void {
  const subscription = events.pipe(filter((event) => event.name === name)).subscribe((event) => {
    try {
      const returned: unknown = (handler as (service: S, ...args: unknown[]) => unknown)(event.service, ...event.args);
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') (returned as PromiseLike<unknown>).then(undefined, failed);
    } catch (error) {
      failed(error);
    }
  });
  return () => subscription.unsubscribe();
}
