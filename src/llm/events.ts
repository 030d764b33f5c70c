import type { FunctionCallFromLLM } from '../frames';

/** The events a service emits, by name, with their handler arguments after the service itself. */
export interface ServiceEventArgs {
  /** No (further) output arrived within `completionTimeoutMs`. */
  completionTimeout: [];
  /** The model asked for function calls; handlers are about to run. */
  functionCallsStarted: [functionCalls: readonly FunctionCallFromLLM[]];
  /** Handlers were cancelled (an interruption, a newer context): Pipecat's `on_function_calls_cancelled`. */
  functionCallsCancelled: [functionCalls: readonly FunctionCallFromLLM[]];
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
