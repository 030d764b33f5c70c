import { asyncScheduler, BehaviorSubject, catchError, filter, Subject, throwError, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { toolNamesOf } from '../context/tools';
import type { DefinedTool } from './define-tool';
import type { RxResponsesError } from '../errors';
import type { Frame, LLMUpdateSettingsFrame } from '../frames';
import type { FrameSink } from '../operators/emit-each';
import type { ServiceEvent, ServiceEventArgs, ServiceEventHandler, ServiceEventName } from './events';
import { writeLateOutcome } from './function-calls';
import { FunctionRegistry, type FunctionCallHandler, type RegisterFunctionOptions } from './function-registry';
import { llmOperator } from './operator';
import { Redactor } from './redactor';
import { errorFrameFor, type ResponseSource } from './response';
import type { ResponseState } from './response-state';
import { DEFAULT_COMPLETION_TIMEOUT_MS, LLM_SERVICE_OPTION_RULES, type LLMServiceOptions, type ServiceLogger } from './service-options';
import type { LLMSettingsValues, ResolvedSettingsOf, SettingsDelta, SettingsInput, SettingsModel } from './settings';
import type { RetryPolicy } from './retry';
import { respond, type TurnDeps } from './turn';
import { checkOptions } from './validation';
import { shareClasses } from '../runtime/shared-classes';

/** A warning about settings, given once per service for each `key`. */
export interface SettingsWarning {
  /** What makes two warnings the same one (e.g. the setting, or the setting and the model). */
  readonly key: string;
  /** The warning, without the service's name. */
  readonly message: string;
}

/** Each service's turn parts, for the core's own use (the switcher runs turns with them); not public API. */
const turnPartsOf = new WeakMap<object, TurnDeps<unknown, ResolvedSettingsOf<LLMSettingsValues>, unknown>>();

/** Whether a service was made by this copy of the package (only then can a switcher of this copy run its turns). */
export function hasTurnDeps(service: unknown): boolean {
  return typeof service === 'object' && service !== null && turnPartsOf.has(service);
}

/** A service's turn parts: its response source, function calls and round limit (the core's, not public API). */
export function turnDepsOf(service: object): TurnDeps<unknown, ResolvedSettingsOf<LLMSettingsValues>, unknown> {
  const deps = turnPartsOf.get(service);
  if (!deps) throw new TypeError('not an LLMService');
  return deps;
}

/** Service instances so far, by kind, to give each a distinct default name. */
const serviceCounts = new Map<string, number>();

/**
 * The provider-independent LLM service: settings (a `BehaviorSubject`; each request reads the latest), events, function
 * handlers, redaction of credentials, and the operator (route → switch turn → response → function-call rounds). A
 * provider extends it with what is specific to it: how a request is built and sent, and how its events map to frames.
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
  /** The settings in force; each request reads the latest. */
  private readonly settingsSubject: BehaviorSubject<ResolvedSettingsOf<V>>;
  /** Every event the service emits; `on` and `events$` read it. */
  private readonly eventSubject = new Subject<ServiceEvent<this>>();
  /** Function handlers by name. */
  private readonly functions = new FunctionRegistry<this>();
  /** Settings warnings already given: each once per service. */
  private readonly warned = new Set<string>();
  /** The redactor of the credentials last seen (rebuilt when they change, e.g. a key set in the environment later). */
  private currentRedactor = new Redactor([]);
  /** What every turn shares, built once: a turn then costs only its own state. */
  private readonly turnDeps: TurnDeps<Event, ResolvedSettingsOf<V>, this>;

  protected constructor(
    kind: string,
    private readonly settingsModel: SettingsModel<V>,
    /** The options as given (checked); set before anything else, so provider hooks can read them from the start. */
    protected readonly options: O,
  ) {
    checkOptions('options', LLM_SERVICE_OPTION_RULES, options);
    const count = serviceCounts.get(kind) ?? 0;
    serviceCounts.set(kind, count + 1);
    this.name = options.name ?? `${kind}#${count}`;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.logger = redactingLogger(options.logger ?? console, () => this.redactor);
    const initial = this.parseSettings(options.settings ?? {});
    this.settingsSubject = new BehaviorSubject(settingsModel.merge(settingsModel.defaults, initial));
    this.warnAbout(initial);
    const source: ResponseSource<Event, ResolvedSettingsOf<V>> = {
      name: this.name,
      scheduler: this.scheduler,
      timeouts: { completionMs: finiteOrNone(options.completionTimeoutMs ?? DEFAULT_COMPLETION_TIMEOUT_MS), stallMs: options.streamStallTimeoutMs },
      retry: this.retryPolicy,
      openEvents: (context, settings) => {
        this.warnAboutUnoffered(context);
        return this.openEvents(context, settings);
      },
      isOutputEvent: (event) => this.isOutputEvent(event),
      mapEvent: (event, state, emit) => this.mapEvent(event, state, emit),
      toError: (error) => this.toError(error),
      redact: (frame) => this.redactor.frame(frame),
      tracing: options.tracer ? { tracer: options.tracer, system: this.providerName } : undefined,
      onTimeout: () => this.emitEvent('completionTimeout'),
    };
    this.turnDeps = {
      source,
      settings: () => this.settingsSubject.value,
      maxFunctionCallRounds: options.maxFunctionCallRounds ?? 10,
      functionCalls: {
        llm: this,
        lookup: (name) => this.functions.lookup(name),
        runInParallel: options.runInParallel ?? true,
        timeoutMs: options.functionCallTimeoutMs,
        scheduler: this.scheduler,
        onStarted: (calls) => this.emitEvent('functionCallsStarted', calls),
        redact: (text) => this.redactor.text(text),
        redactFrame: (frame) => this.redactor.frame(frame),
        tracer: options.tracer,
      },
    };
    turnPartsOf.set(this, this.turnDeps as unknown as TurnDeps<unknown, ResolvedSettingsOf<LLMSettingsValues>, unknown>);
  }

  /** Builds the request for a context and settings and opens its event stream; unsubscribing must abort it. */
  protected abstract openEvents(context: LLMContext, settings: ResolvedSettingsOf<V>): Observable<Event>;
  /** Whether an event is the model's output rather than a preamble (pure). */
  protected abstract isOutputEvent(event: Event): boolean;
  /** Maps one event to frames, updating the response's state (pure). */
  protected abstract mapEvent(event: Event, state: ResponseState, emit: FrameSink): void;
  /** Turns anything the I/O threw into a typed error with a clear message. */
  protected abstract toError(error: unknown): RxResponsesError;
  /** Every credential the service or its client is configured with: no message that leaves the library may show one. */
  protected abstract credentials(): readonly (string | undefined)[];

  /** The provider's name for the `gen_ai.system` span attribute (e.g. `openai`). */
  protected get providerName(): string {
    return 'unknown';
  }

  /** Warnings a settings delta deserves, given the merged settings (pure; each is given once per service). */
  protected settingsWarnings(_delta: SettingsDelta<V>, _settings: ResolvedSettingsOf<V>): readonly SettingsWarning[] {
    return [];
  }

  /** The settings in force now. */
  get settings(): ResolvedSettingsOf<V> {
    return this.settingsSubject.value;
  }

  /** The settings over time (replays the current value). */
  get settings$(): Observable<ResolvedSettingsOf<V>> {
    return this.settingsSubject.asObservable();
  }

  /** Every service event, as an Observable. */
  get events$(): Observable<ServiceEvent<this>> {
    return this.eventSubject.asObservable();
  }

  /** Merges a settings delta; the next request uses it. Throws `SettingsValidationError` and keeps the old settings on bad input. */
  updateSettings(delta: SettingsInput<V>): void {
    const valid = this.parseSettings(delta);
    this.settingsSubject.next(this.settingsModel.merge(this.settingsSubject.value, valid));
    this.warnAbout(valid);
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
    this.functions.register(tool.name, tool.handler as unknown as FunctionCallHandler<this>, tool.options ?? {});
  }

  /** Removes a function's handler (`null`: the catch-all). */
  unregisterFunction(name: string | null): void {
    this.functions.unregister(name);
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
    const subscription = this.eventSubject.pipe(filter((event) => event.name === name)).subscribe((event) => {
      // A handler's failure is the app's bug, not the pipeline's: it is logged (redacted) and never reaches the process.
      const failed = (error: unknown) => this.logger.error(`${this.name}: the '${name}' handler failed: ${error instanceof Error ? error.message : String(error)}`);
      try {
        const returned: unknown = (handler as (service: this, ...args: unknown[]) => unknown)(event.service, ...event.args);
        if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') (returned as PromiseLike<unknown>).then(undefined, failed);
      } catch (error) {
        failed(error);
      }
    });
    return () => subscription.unsubscribe();
  }

  /**
   * The LLM stage: consumes context, append and settings frames, streams a response per context (a newer context or
   * an `InterruptionFrame` cancels the one in flight and aborts its request) and passes every other frame through.
   * Failures become `ErrorFrame`s; the output never errors.
   */
  operator<T extends { readonly type: string } = never>(): OperatorFunction<Frame | T, Frame | T> {
    return llmOperator<T>({
      respond: (context, tracker, leading) => respond(this.turnDeps, context, tracker, leading),
      applySettings: (frame, emit) => this.applySettingsFrame(frame, emit),
      cancelled: (calls) => this.emitEvent('functionCallsCancelled', calls),
      writeLate: (outcome) => writeLateOutcome(outcome, (text) => this.redactor.text(text)),
    });
  }

  /** Releases what the service holds open between turns (e.g. a WebSocket); the service can be used again. */
  close(): void {}

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

  /** How the service retries failed requests, on its scheduler (for a provider's own I/O, e.g. out-of-band inference). */
  protected get retryPolicy(): RetryPolicy {
    return {
      maxRetries: this.options.maxRetries ?? 2,
      maxRetryAfterMs: this.options.maxRetryAfterMs ?? 20_000,
      retryOnTimeout: this.options.retryOnTimeout ?? false,
      scheduler: this.scheduler,
    };
  }

  /** Applies a settings frame; a bad delta becomes an ErrorFrame and the old settings stay. */
  private applySettingsFrame(frame: LLMUpdateSettingsFrame, emit: FrameSink): void {
    try {
      this.updateSettings(frame.delta as SettingsInput<V>);
    } catch (error) {
      emit(this.redactor.frame(errorFrameFor(this.toError(error))));
    }
  }

  private parseSettings(input: SettingsInput<V>): SettingsDelta<V> {
    try {
      return this.settingsModel.parse(input);
    } catch (error) {
      throw this.redactor.error(error);
    }
  }

  /** A function registered but not among the context's tools is never offered to the model: one warning per name. */
  private warnAboutUnoffered(context: LLMContext): void {
    const registered = this.functions.names();
    if (registered.length === 0) return;
    const offered = new Set(toolNamesOf(context.tools));
    for (const name of registered) {
      if (offered.has(name) || this.warned.has(`unoffered:${name}`)) continue;
      this.warned.add(`unoffered:${name}`);
      this.logger.warn(`${this.name}: function "${name}" has a handler but is not among the context's tools, so the model is never offered it.`);
    }
  }

  private warnAbout(delta: SettingsDelta<V>): void {
    for (const warning of this.settingsWarnings(delta, this.settings)) {
      if (this.warned.has(warning.key)) continue;
      this.warned.add(warning.key);
      this.logger.warn(`${this.name}: ${warning.message}`);
    }
  }
}

/** A logger that flattens each line to text and redacts it before the app's logger sees it. */
function redactingLogger(logger: ServiceLogger, redactor: () => Redactor): ServiceLogger {
  const flat = (message: string, details: unknown[]) =>
    redactor().text([message, ...details.map((detail) => (typeof detail === 'string' ? detail : safeJson(detail)))].join(' '));
  return {
    warn: (message, ...details) => logger.warn(flat(message, details)),
    error: (message, ...details) => logger.error(flat(message, details)),
  };
}

/** Infinity means "no deadline". */
function finiteOrNone(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMService });
