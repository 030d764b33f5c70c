import { asyncScheduler, catchError, defer, Subject, throwError, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { toolNamesOf } from '../context/tools';
import type { RxResponsesError } from '../errors/errors';
import type { Frame } from '../frames';
import { errorFrameFor } from '../frames/error-frame-for';
import { shareClasses } from '../runtime/shared-classes';
import type { DefinedTool } from './define-tool';
import { listen, type ServiceEvent, type ServiceEventArgs, type ServiceEventHandler, type ServiceEventName } from './events';
import { writeLateOutcome } from './function-calls/context-writes';
import { FunctionRegistry, type FunctionCallHandler, type RegisteredFunction, type RegisterFunctionOptions } from './function-calls/function-registry';
import { llmOperator } from './operator';
import { buildServiceCore } from './service-core';
import type { McpApprovalPolicy, OutputItemHandler } from './output-items/answer-items';
import { ItemHandlers } from './output-items/item-handlers';
import type { LLMProvider } from './provider';
import { redactingLogger } from './redacting-logger';
import { Redactor } from './redactor';
import type { RetryPolicy } from './retry';
import { LLM_SERVICE_OPTION_RULES, type LLMServiceOptions, type ServiceLogger } from './service-options';
import { ServiceSettings, type SettingsWarning } from './service-settings';
import type { LLMSettingsValues, ResolvedSettingsOf, SettingsDelta, SettingsInput, SettingsModel } from './settings';
import { runTurn } from './turn';
import type { TurnCore } from './turn-core';
import { checkOptions } from '../runtime/validation';

/** The key of a service's turn core, for the switcher: the same symbol in every copy of the package. */
export const TURN_CORE: unique symbol = Symbol.for('rx-responses.turnCore') as never;

/** Service instances so far, by kind, to give each a distinct default name. */
const serviceCounts = new Map<string, number>();

/**
 * The provider-independent LLM service: settings (each request reads the latest), events, function handlers, redaction
 * of credentials, and the operator (route → turn → response → function-call rounds). A provider's service extends it
 * with its `LLMProvider` (how a request is sent and its events mapped) and its credentials.
 */
export abstract class LLMService<
  V extends LLMSettingsValues = LLMSettingsValues,
  Event = unknown,
  O extends LLMServiceOptions<SettingsInput<V>> = LLMServiceOptions<SettingsInput<V>>,
> {
  /** The service's name in metrics and logs. */
  readonly name: string;
  /** The clock and timers of metrics, timeouts and retries. */
  protected readonly scheduler: SchedulerLike;
  /** Where warnings go; every line is flattened to text and redacted first. */
  protected readonly logger: ServiceLogger;
  /** The provider the core streams responses with; set by the provider's constructor. */
  protected abstract readonly provider: LLMProvider<Event, ResolvedSettingsOf<V>>;
  /** The settings in force. */
  private readonly state: ServiceSettings<V>;
  /** Every event the service emits; `on` and `events$` read it. */
  private readonly eventSubject = new Subject<ServiceEvent<this>>();
  /** Function handlers by name. */
  private readonly functions = new FunctionRegistry<this>();
  /** The app's handlers of output items, and its MCP approval policy. */
  private readonly items = new ItemHandlers();
  /** Warnings already given: each once per service. */
  private readonly warned = new Set<string>();
  /** The redactor of the credentials last seen (rebuilt when they change, e.g. a key set in the environment later). */
  private currentRedactor = new Redactor([]);
  /** The warm-up in progress: callers at the same time share it. */
  private warming: Promise<void> | undefined;
  /** What every turn shares, built on first use (the provider is set after this constructor). */
  private core: TurnCore<Event, ResolvedSettingsOf<V>> | undefined;

  protected constructor(
    kind: string,
    settingsModel: SettingsModel<V>,
    /** The options as given (checked); set before anything else, so provider hooks can read them from the start. */
    protected readonly options: O,
  ) {
    checkOptions('options', LLM_SERVICE_OPTION_RULES, options);
    const count = serviceCounts.get(kind) ?? 0;
    serviceCounts.set(kind, count + 1);
    this.name = options.name ?? `${kind}#${count}`;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.logger = redactingLogger(options.logger ?? console, () => this.redactor);
    this.state = new ServiceSettings(settingsModel, options.settings ?? {}, {
      warningsFor: (delta, settings) => this.settingsWarnings(delta, settings),
      warnOnce: (key, message) => this.warnOnce(key, message),
      redact: (error) => this.redactor.error(error),
    });
  }

  /** Every credential the service or its client is configured with: no message that leaves the library may show one. */
  protected abstract credentials(): readonly (string | undefined)[];

  /** Warnings a settings delta deserves, given the merged settings (pure; each is given once per service). */
  protected settingsWarnings(_delta: SettingsDelta<V>, _settings: ResolvedSettingsOf<V>): readonly SettingsWarning[] {
    return [];
  }

  /** The settings in force now. */
  get settings(): ResolvedSettingsOf<V> {
    return this.state.value;
  }

  /** The settings over time (replays the current value). */
  get settings$(): Observable<ResolvedSettingsOf<V>> {
    return this.state.value$;
  }

  /** Every service event, as an Observable. */
  get events$(): Observable<ServiceEvent<this>> {
    return this.eventSubject.asObservable();
  }

  /** Merges a settings delta; the next request uses it. Throws `SettingsValidationError` and keeps the old settings on bad input. */
  updateSettings(delta: SettingsInput<V>): void {
    this.state.update(delta);
  }

  /**
   * Registers the handler of a function the model may call; `null` registers a catch-all for every other name.
   * @example llm.registerFunction('get_time', () => ({ time: new Date().toISOString() }));
   */
  registerFunction(name: string | null, handler: FunctionCallHandler<this>, options: RegisterFunctionOptions = {}): void {
    this.functions.register(name, handler, options);
  }

  /**
   * Registers a tool declared with `defineTool`: its handler, with its options. Put the same tool in the context's tools
   * to offer it to the model.
   */
  registerTool(tool: DefinedTool): void {
    this.functions.register(tool.name, tool.handler as FunctionCallHandler<this>, tool.options ?? {});
  }

  /** Removes a function's handler (`null`: the catch-all). */
  unregisterFunction(name: string | null): void {
    this.functions.unregister(name);
  }

  /**
   * Handles an output item kind the app executes (`'shell_call'`, `'apply_patch_call'`, `'computer_call'`, …): the
   * handler gets the item and returns the output item to send back; the model then runs again. `null` removes it.
   */
  registerItemHandler(itemType: string, handler: OutputItemHandler | null): void {
    this.items.register(itemType, handler);
  }

  /** Answers MCP approval requests with a policy (`true` approves); `undefined` leaves them to `McpApprovalResponseFrame`s. */
  setMcpApproval(policy: McpApprovalPolicy | undefined): void {
    this.items.setPolicy(policy);
  }

  /** Whether a call to this name would find a handler (its own or the catch-all). */
  hasFunction(name: string): boolean {
    return this.functions.has(name);
  }

  /**
   * Registers a handler for a service event; returns a function that removes it.
   * @example const off = llm.on('completionTimeout', (service) => console.log(`${service.name} timed out`));
   */
  on<K extends ServiceEventName>(name: K, handler: ServiceEventHandler<this, K>): () => void {
    // A handler's failure is the app's bug, not the pipeline's: it is logged (redacted) and never reaches the process.
    return listen(this.eventSubject, name, handler, (error) => this.logger.error(`${this.name}: the '${name}' handler failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * The LLM stage: consumes context, append and settings frames, streams a response per context (a newer context or
   * an `InterruptionFrame` cancels the one in flight and aborts its request) and passes every other frame through.
   * Failures become `ErrorFrame`s; the output never errors.
   */
  operator<T extends { readonly type: string } = never>(): OperatorFunction<Frame | T, Frame | T> {
    const stage = llmOperator<T>({
      runTurn: (context, turn, after) => {
        this.warnAboutUnoffered(context);
        return runTurn(this[TURN_CORE](), context, turn, 0, after);
      },
      applySettings: (frame, session) => {
        try {
          this[TURN_CORE]().updateSession(session, frame.delta);
          return [];
        } catch (error) {
          return [this.redactor.frame(errorFrameFor(this.provider.toError(error)))];
        }
      },
      scheduler: this.scheduler,
      callsCancelled: (calls) => this.emitEvent('functionCallsCancelled', calls),
      writeLate: (outcome) => writeLateOutcome(outcome, (text) => this.redactor.text(text)),
    });
    if (!this.options.preconnect) return stage;
    return (source) =>
      defer(() => {
        void this.warmUp();
        return stage(source);
      });
  }

  /**
   * Opens the connection to the API now, so the first request finds it warm (HTTP: a pooled TLS connection; WebSocket:
   * the socket): no billed request, no credential sent. Resolves once it is done, or quietly when it failed (the first
   * request then connects as usual).
   * @example call.on('answered', () => void llm.warmUp());
   */
  warmUp(): Promise<void> {
    return (this.warming ??= this.openConnection()
      .catch(() => undefined)
      .finally(() => (this.warming = undefined)));
  }

  /** Releases what the service holds open between turns (e.g. a WebSocket); the service can be used again. */
  close(): void {}

  /** What every turn of this service runs on (for the core and the switcher; not for apps). */
  [TURN_CORE](): TurnCore<Event, ResolvedSettingsOf<V>> {
    // Arrows, so the core reads the service's current settings and credentials at each use.
    return (this.core ??= buildServiceCore<Event, ResolvedSettingsOf<V>>({
      llm: this,
      name: this.name,
      scheduler: this.scheduler,
      items: this.items,
      provider: this.provider,
      settings: (session) => this.state.forSession(session),
      updateSession: (session, delta) => this.state.updateSession(session, delta as SettingsInput<V>),
      options: this.options as LLMServiceOptions<unknown>,
      retryPolicy: this.retryPolicy,
      redactor: () => this.redactor,
      lookup: (name) => this.functions.lookup(name) as RegisteredFunction<unknown> | undefined,
      emit: (name, ...args) => this.emitEvent(name, ...args),
    }));
  }

  /** The warm-up in progress, if any: a request made meanwhile waits for it rather than opening a second connection. */
  protected get warmingUp(): Promise<void> | undefined {
    return this.warming;
  }

  /** Opens what the provider's requests will use, without a billed request (`warmUp`); nothing by default. */
  protected openConnection(): Promise<void> {
    return Promise.resolve();
  }

  /** Emits a service event to `events$` and the `on` handlers. */
  protected emitEvent<K extends ServiceEventName>(name: K, ...args: ServiceEventArgs[K]): void {
    this.eventSubject.next({ name, service: this, args } as ServiceEvent<this>);
  }

  /** The redactor of the service's credentials now. */
  protected get redactor(): Redactor {
    const secrets = this.credentials().filter((secret): secret is string => typeof secret === 'string' && secret.length > 0);
    const current = this.currentRedactor.secrets;
    if (secrets.length !== current.length || secrets.some((secret, index) => secret !== current[index])) this.currentRedactor = new Redactor(secrets);
    return this.currentRedactor;
  }

  /** Typed, redacted errors for what a provider's own I/O (e.g. out-of-band inference) throws. */
  protected typedErrors<T>(): OperatorFunction<T, T> {
    return catchError((error: unknown) => throwError(() => this.redactor.error(this.toError(error))));
  }

  /** Turns anything the provider's I/O threw into a typed error. */
  protected toError(error: unknown): RxResponsesError {
    return this.provider.toError(error);
  }

  /** How the service retries failed requests, on its scheduler (for a provider's own I/O, e.g. out-of-band inference). */
  protected get retryPolicy(): RetryPolicy {
    return {
      maxRetries: this.options.maxRetries ?? 2,
      maxRetryAfterMs: this.options.maxRetryAfterMs ?? 20_000,
      retryOnTimeout: this.options.retryOnTimeout ?? false,
      scheduler: this.scheduler,
    };
  }

  /** A function registered but not among the context's tools is never offered to the model: one warning per name. */
  private warnAboutUnoffered(context: LLMContext): void {
    for (const name of this.functions.unoffered(toolNamesOf(context.tools))) {
      this.warnOnce(`unoffered:${name}`, `function "${name}" has a handler but is not among the context's tools, so the model is never offered it.`);
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(`${this.name}: ${message}`);
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMService });
