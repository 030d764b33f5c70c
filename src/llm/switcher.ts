import { filter, Subject, type Observable, type OperatorFunction } from 'rxjs';
import { ContextValidationError, RxResponsesError, SettingsValidationError } from '../errors/errors';
import type { Frame } from '../frames';
import { errorFrameFor } from '../frames/error-frame-for';
import { emitEach } from '../operators/emit-each';
import { shareClasses } from '../runtime/shared-classes';
import { writeLateOutcome } from './function-calls/context-writes';
import type { FunctionCallHandler, RegisterFunctionOptions } from './function-calls/function-registry';
import { LLMService, TURN_CORE } from './llm-service';
import { llmOperator } from './operator';
import type { LLMProvider } from './provider';
import type { SessionSettings } from './session-settings';
import { runTurn } from './turn';
import { responseTiming, type TurnCore } from './turn-core';

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
  readonly strategy?: 'failover' | 'manual' | undefined;
}

/** A switch of the active service: from which, to which, and why (`'failover: …'`, `'switchTo'`, `'ManuallySwitchServiceFrame'`). */
export interface ServiceSwitched<S> {
  readonly name: 'serviceSwitched';
  readonly from: S;
  readonly to: S;
  readonly reason: string;
}

/** What a switcher's response reads as its settings: the active model, and the session it runs in. */
interface SwitcherSettings {
  readonly model: string;
  readonly session: SessionSettings | undefined;
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
  /** Each service's turn core, in the order of `services`. */
  private readonly cores: readonly TurnCore[];
  /** The turn core that follows the active service (built once). */
  private readonly core: TurnCore;

  constructor(options: LLMSwitcherOptions<S>) {
    const services: unknown = options?.services;
    if (!Array.isArray(services) || services.length === 0 || !services.every((service): service is LLMService => service instanceof LLMService)) {
      throw new SettingsValidationError('services', 'a non-empty array of LLM services', services);
    }
    if (options.strategy !== undefined && options.strategy !== 'failover' && options.strategy !== 'manual') {
      throw new SettingsValidationError('strategy', "'failover' or 'manual'", options.strategy);
    }
    this.services = [...options.services];
    this.cores = services.map((service) => service[TURN_CORE]());
    this.strategy = options.strategy ?? 'failover';
    this.core = this.followActive();
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
    const errors = this.applyToEach((service) => service.updateSettings(delta as never));
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
      runTurn: (context, turn, after) => runTurn(this.core, context, turn, 0, after),
      applySettings: (frame, session) =>
        this.applyToEach((service, index) => this.cores[index]!.updateSession(session, frame.delta)).map(({ service, error }) =>
          errorFrameFor(error instanceof Error ? error : new RxResponsesError(String(error)), service.name),
        ),
      scheduler: this.core.scheduler,
      callsCancelled: () => undefined,
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

  /** The active service's turn core. */
  private active(): TurnCore {
    return this.cores[this.activeIndex]!;
  }

  private applyToEach(apply: (service: S, index: number) => void): { service: S; error: unknown }[] {
    const errors: { service: S; error: unknown }[] = [];
    this.services.forEach((service, index) => {
      try {
        apply(service, index);
      } catch (error) {
        errors.push({ service, error });
      }
    });
    return errors;
  }

  /** A turn core that reads the active service at each use: its provider, settings, handlers, limits and redactor. */
  private followActive(): TurnCore {
    // Arrows that read the switcher's state at each use (the getters below have their own `this`).
    const active = () => this.active();
    const failOver = (reason: string) => this.switchTo(this.services[(this.activeIndex + 1) % this.services.length]!, reason);
    const { services, strategy } = this;
    const first = this.cores[0]!;
    // Per response: retries made before the last failover, and how many services this response tried.
    let retriesBefore = 0;
    let tried = 1;
    const retryDelay = (error: unknown, retries: number): number | undefined => {
      if (retries === 0) {
        retriesBefore = 0;
        tried = 1;
      }
      const own = active().attempts.retryDelay(error, retries - retriesBefore);
      if (own !== undefined) return own;
      if (strategy !== 'failover' || tried >= services.length) return undefined;
      const typed = active().provider.toError(error);
      // A context or settings problem is ours: another service would refuse it too.
      if (typed instanceof ContextValidationError || typed instanceof SettingsValidationError || !(typed instanceof RxResponsesError)) return undefined;
      tried++;
      retriesBefore = retries + 1;
      failOver(`failover: ${typed.message}`);
      return 0;
    };
    const provider: LLMProvider<unknown, { readonly model: string }> = {
      get system() {
        return active().provider.system;
      },
      // The session came with the settings the response read (see `settings` below); after a failover, the new service's.
      openEvents: (context, settings) => active().provider.openEvents(context, active().settings((settings as SwitcherSettings).session)),
      isOutputEvent: (event) => active().provider.isOutputEvent(event),
      mapEvent: (event, response, emit) => active().provider.mapEvent(event, response, emit),
      toError: (error) => active().provider.toError(error),
    };
    // The deadlines run on the first service's clock, with its limits: one response, whichever service answers it.
    const timedOut = () => active().timedOut();
    const timing = responseTiming(first.scheduler, first.timeouts, retryDelay, timedOut);
    return {
      get name() {
        return active().name;
      },
      provider,
      settings: (session?: SessionSettings): SwitcherSettings => ({ model: active().settings(session).model, session }),
      updateSession: (session, delta) => active().updateSession(session, delta),
      scheduler: first.scheduler,
      timeouts: first.timeouts,
      timedOut,
      ...timing,
      redactor: () => active().redactor(),
      get tracer() {
        return active().tracer;
      },
      get metrics() {
        return active().metrics;
      },
      get functionCalls() {
        return active().functionCalls;
      },
      get outputItems() {
        return active().outputItems;
      },
      get maxFunctionCallRounds() {
        return active().maxFunctionCallRounds;
      },
      get emptyResponseRetries() {
        return active().emptyResponseRetries;
      },
      emptyResponse: (willRetry) => active().emptyResponse(willRetry),
    };
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMSwitcher });
