import type { LLMContext } from '../../context/llm-context';

/** Pipecat's `FunctionCallResultProperties`: how a result affects the turn. */
export interface FunctionCallResultProperties {
  /** Whether to run the model again with the result (default true; the model re-runs unless every call says false). */
  readonly runLlm?: boolean | undefined;
  /**
   * `false` for an intermediate result through `resultCallback` (progress): it goes out as a `FunctionCallResultFrame`
   * with `final: false`, and the call keeps running, its timeout too. Default true.
   */
  readonly isFinal?: boolean | undefined;
}

/** What a function handler receives. */
export interface FunctionCallParams<S = unknown> {
  /** The function's name. */
  readonly functionName: string;
  /** The call id that pairs the call with its result. */
  readonly toolCallId: string;
  /** The parsed arguments (validated when the tool was given with a zod schema). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The conversation the call came from. */
  readonly context: LLMContext;
  /** The service that runs the call. */
  readonly llm: S;
  /** Aborts when the turn is interrupted, replaced, unsubscribed or the call times out. */
  readonly signal: AbortSignal;
  /** Another way to answer: call it once with the result (the first answer wins). */
  readonly resultCallback: (result: unknown, properties?: FunctionCallResultProperties) => void;
}

/** A function handler: return the result (a value, a Promise or an Observable whose first value counts), or call `resultCallback`. */
export type FunctionCallHandler<S = unknown> = (params: FunctionCallParams<S>) => unknown;

/** Options of `registerFunction`. */
export interface RegisterFunctionOptions {
  /** Give up on this function after so many milliseconds (on the service's scheduler); overrides the service's default. */
  readonly timeoutMs?: number | undefined;
  /**
   * Whether an interruption or a newer context cancels the handler (default true, as Pipecat's). With `false`, a handler
   * that has started keeps running; when it answers after its turn ended, its call and output land in the context
   * together and, unless it says `runLlm: false`, the model runs on that context as a new turn.
   */
  readonly cancelOnInterruption?: boolean | undefined;
}

/** A registered handler and its options. */
export interface RegisteredFunction<S> {
  readonly handler: FunctionCallHandler<S>;
  readonly options: RegisterFunctionOptions;
}

/** A service's function handlers by name; the `null` name is the catch-all for every other name. */
export class FunctionRegistry<S> {
  /** Handlers by name; `null` is the catch-all. */
  private readonly functions = new Map<string | null, RegisteredFunction<S>>();

  /** Registers (or replaces) a handler. */
  register(name: string | null, handler: FunctionCallHandler<S>, options: RegisterFunctionOptions): void {
    this.functions.set(name, { handler, options });
  }

  /** Removes a handler. */
  unregister(name: string | null): void {
    this.functions.delete(name);
  }

  /** Whether a call to this name would find a handler (its own or the catch-all). */
  has(name: string): boolean {
    return this.functions.has(name) || this.functions.has(null);
  }

  /** The names with a handler of their own (the catch-all aside). */
  names(): string[] {
    return [...this.functions.keys()].filter((name): name is string => name !== null);
  }

  /** The registered names not among the offered tool names: the model is never offered them. */
  unoffered(offered: readonly string[]): string[] {
    const names = this.names();
    if (names.length === 0) return names;
    const set = new Set(offered);
    return names.filter((name) => !set.has(name));
  }

  /** The handler a call to this name runs: its own, else the catch-all. */
  lookup(name: string): RegisteredFunction<S> | undefined {
    return this.functions.get(name) ?? this.functions.get(null);
  }
}
