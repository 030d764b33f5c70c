import { filter, Subject, type Observable, type OperatorFunction } from 'rxjs';
import { ContextValidationError, RxResponsesError, SettingsValidationError } from '../errors';
import { ErrorFrame, type Frame } from '../frames';
import { emitEach } from '../operators/emit-each';
import { writeLateOutcome } from './function-calls';
import type { FunctionCallHandler, RegisterFunctionOptions } from './function-registry';
import { hasTurnDeps, LLMService, turnDepsOf } from './llm-service';
import { llmOperator } from './operator';
import type { ResponseSource } from './response';
import { retryDecider } from './retry';
import type { LLMSettingsValues, ResolvedSettingsOf } from './settings';
import { respond, type TurnDeps } from './turn';
import { shareClasses } from '../runtime/shared-classes';

/** What a switcher needs of a service: any `LLMService` (Responses, Chat Completions, yours). */
export interface SwitchableService {
  /** The service's name, in events and error frames. */
  readonly name: string;
  /** Merges a settings delta, validated by the service. */
  updateSettings(delta: never): void;
  /** Registers a function handler on the service. */
  registerFunction(name: string | null, handler: never, options?: RegisterFunctionOptions): void;
}

/** Options of `new LLMSwitcher(...)`. */
export interface LLMSwitcherOptions<S extends SwitchableService> {
  /** The services, in failover order; the first is active at the start. */
  readonly services: readonly S[];
  /** `'failover'` (default): a response that fails before any output runs again on the next service. `'manual'`: switch only when told. */
  readonly strategy?: 'failover' | 'manual';
}

/** A switch of the active service: from which, to which, and why (`'failover: …'`, `'switchTo'`, `'ManuallySwitchServiceFrame'`). */
export interface ServiceSwitched<S> {
  readonly name: 'serviceSwitched';
  readonly from: S;
  readonly to: S;
  readonly reason: string;
}

/**
 * Several LLM services behind one operator, one active at a time (Pipecat's `LLMSwitcher`). With `'failover'`, a
 * response that fails before any output (an HTTP error after the service's own retries, a connection failure, a
 * deadline before the first output) runs again on the next service, in the same turn and the same Start/End brackets,
 * and that service stays active; it goes back only by `switchTo` or a `ManuallySwitchServiceFrame`.
 * @example
 * const switcher = new LLMSwitcher({ services: [primary, fallback], strategy: 'failover' });
 * input$.pipe(pair.user(), switcher.operator(), pair.assistant());
 */
export class LLMSwitcher<S extends SwitchableService = SwitchableService> {
  /** The services, in failover order. */
  readonly services: readonly S[];
  /** How the switcher switches. */
  readonly strategy: 'failover' | 'manual';
  /** The active service's place in `services`. */
  private activeIndex = 0;
  /** Every switch; `on` and `events$` read it. */
  private readonly eventSubject = new Subject<ServiceSwitched<S>>();
  /** The turn parts that follow the active service (built once). */
  private readonly turnDeps: TurnDeps<unknown, ResolvedSettingsOf<LLMSettingsValues>, unknown>;

  constructor(options: LLMSwitcherOptions<S>) {
    const services = options?.services;
    if (!Array.isArray(services) || services.length === 0 || !services.every((service) => service instanceof LLMService)) {
      throw new SettingsValidationError('services', 'a non-empty array of LLM services', services);
    }
    // A switcher runs its services' turns through the core's own parts, which only the same copy of the package holds.
    if (!services.every(hasTurnDeps)) {
      throw new SettingsValidationError('services', 'LLM services made by the same copy of rx-responses as the switcher (an app loads two when it mixes import and require)', services);
    }
    if (options.strategy !== undefined && options.strategy !== 'failover' && options.strategy !== 'manual') {
      throw new SettingsValidationError('strategy', "'failover' or 'manual'", options.strategy);
    }
    this.services = [...(services as unknown as readonly S[])];
    this.strategy = options.strategy ?? 'failover';
    this.turnDeps = this.followActive();
  }

  /** The service that runs the next response. */
  get activeService(): S {
    return this.services[this.activeIndex]!;
  }

  /** Every switch, as an Observable. */
  get events$(): Observable<ServiceSwitched<S>> {
    return this.eventSubject.asObservable();
  }

  /** Makes a service active (one of `services`); the next response uses it. */
  switchTo(service: S, reason = 'switchTo'): void {
    const index = this.services.indexOf(service);
    if (index < 0) throw new SettingsValidationError('service', "one of the switcher's services", service);
    if (index === this.activeIndex) return;
    const from = this.activeService;
    this.activeIndex = index;
    this.eventSubject.next({ name: 'serviceSwitched', from, to: service, reason });
  }

  /** Registers a handler for switches; returns a function that removes it. */
  on(name: 'serviceSwitched', handler: (switcher: this, event: ServiceSwitched<S>) => unknown): () => void {
    const subscription = this.eventSubject.pipe(filter((event) => event.name === name)).subscribe((event) => {
      try {
        void handler(this, event);
      } catch {
        // A handler's failure is the app's, as with a service's handlers; the switch stands.
      }
    });
    return () => subscription.unsubscribe();
  }

  /** Merges a settings delta into every service (each validates it); throws the first service's error, after applying the rest. */
  updateSettings(delta: object): void {
    const errors = this.applyToEach(delta);
    if (errors[0]) throw errors[0].error;
  }

  /** Registers a function handler on every service, so whichever is active runs it. */
  registerFunction(name: string | null, handler: FunctionCallHandler<S>, options: RegisterFunctionOptions = {}): void {
    for (const service of this.services) service.registerFunction(name, handler as never, options);
  }

  /**
   * The LLM stage, as a service's: it consumes what a service consumes, plus `ManuallySwitchServiceFrame`; each response
   * runs on the active service, and fails over as the strategy says.
   */
  operator(): OperatorFunction<Frame, Frame> {
    const stage = llmOperator({
      respond: (context, tracker, leading) => respond(this.turnDeps, context, tracker, leading),
      applySettings: (frame, emit) => {
        for (const { service, error } of this.applyToEach(frame.delta)) {
          const message = `${service.name}: ${error instanceof Error ? error.message : String(error)}`;
          emit(new ErrorFrame({ error: message, ...(error instanceof Error ? { exception: error } : {}) }));
        }
      },
      cancelled: () => undefined,
      writeLate: (outcome) => writeLateOutcome(outcome, (text) => this.active().functionCalls.redact(text)),
    });
    return (source) =>
      source.pipe(
        emitEach<Frame>((frame, emit) => {
          if (frame?.type === 'ManuallySwitchServiceFrame') this.switchTo(frame.service as S, 'ManuallySwitchServiceFrame');
          else emit(frame);
        }),
        stage,
      );
  }

  private active(): TurnDeps<unknown, ResolvedSettingsOf<LLMSettingsValues>, unknown> {
    return turnDepsOf(this.activeService);
  }

  private applyToEach(delta: object): { service: S; error: unknown }[] {
    const errors: { service: S; error: unknown }[] = [];
    for (const service of this.services) {
      try {
        service.updateSettings(delta as never);
      } catch (error) {
        errors.push({ service, error });
      }
    }
    return errors;
  }

  /** Turn parts that read the active service at each use: its request, mapping, settings, handlers and round limit. */
  private followActive(): TurnDeps<unknown, ResolvedSettingsOf<LLMSettingsValues>, unknown> {
    // Arrows that read the switcher's state at each use (the getters below have their own `this`).
    const active = () => this.active();
    const failOver = (reason: string) => this.switchTo(this.services[(this.activeIndex + 1) % this.services.length]!, reason);
    const { services, strategy } = this;
    const first = turnDepsOf(this.services[0]!).source;
    // Per response: retries made before the last failover, and how many services this response tried.
    let retriesBefore = 0;
    let tried = 1;
    const source: ResponseSource<unknown, ResolvedSettingsOf<LLMSettingsValues>> = {
      get name() {
        return active().source.name;
      },
      // The deadlines run on the first service's clock, with its limits: one response, whichever service answers it.
      scheduler: first.scheduler,
      timeouts: first.timeouts,
      retry: first.retry,
      retryDelay: (error, retries) => {
        if (retries === 0) {
          retriesBefore = 0;
          tried = 1;
        }
        const current = active().source;
        const own = retryDecider(current.retry, (failure) => current.toError(failure))(error, retries - retriesBefore);
        if (own !== undefined) return own;
        if (strategy !== 'failover' || tried >= services.length) return undefined;
        const typed = current.toError(error);
        // A context or settings problem is ours: another service would refuse it too.
        if (typed instanceof ContextValidationError || typed instanceof SettingsValidationError || !(typed instanceof RxResponsesError)) return undefined;
        tried++;
        retriesBefore = retries + 1;
        failOver(`failover: ${typed.message}`);
        return 0;
      },
      openEvents: (context) => active().source.openEvents(context, active().settings()),
      isOutputEvent: (event) => active().source.isOutputEvent(event),
      mapEvent: (event, state, emit) => active().source.mapEvent(event, state, emit),
      toError: (error) => active().source.toError(error),
      redact: (frame) => active().source.redact(frame),
      onTimeout: () => active().source.onTimeout(),
    };
    return {
      source,
      settings: () => active().settings(),
      get functionCalls() {
        return active().functionCalls;
      },
      get maxFunctionCallRounds() {
        return active().maxFunctionCallRounds;
      },
    };
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMSwitcher });
