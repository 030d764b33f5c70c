import OpenAI from 'openai';
import {
  asyncScheduler,
  BehaviorSubject,
  defer,
  EMPTY,
  filter,
  firstValueFrom,
  of,
  Subject,
  type Observable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { LLMContext } from '../../context/llm-context';
import { FunctionCallLimitError, redactSecrets, RxResponsesError, SettingsValidationError } from '../../errors';
import { LLMFullResponseEndFrame, type Frame, type LLMUpdateSettingsFrame } from '../../frames';
import { type FrameSink } from '../../operators/emit-each';
import { followedBy } from '../../operators/followed-by';
import { passOrSwitch } from '../../operators/pass-or-switch';
import {
  runFunctionCalls,
  type FunctionCallDeps,
  type FunctionCallHandler,
  type RegisteredFunction,
  type RegisterFunctionOptions,
} from './function-calls';
import { sdkOpenStream, type OpenStream } from './http-stream';
import { isReasoningModel } from './reasoning';
import { parserOpenStream } from './sse-stream';
import { ResponsesWebSocketTransport } from './websocket/ws-transport';
import { buildInferenceRequest, inference, sdkOpenResponse, type InferenceOptions, type OpenResponse } from './inference';
import { errorFrameFor } from './failure';
import { streamResponse, type OpenResponseTracker, type ResponseTurnDeps } from './response-turn';
import type { ServiceEvent, ServiceEventArgs, ServiceEventHandler, ServiceEventName } from './service-events';
import {
  DEFAULT_SETTINGS,
  ineffectiveSettingsIn,
  mergeSettings,
  NOT_GIVEN,
  OpenAIResponsesLLMSettings,
  type OpenAIResponsesLLMSettingsInput,
  type ResolvedSettings,
} from './settings';

/** Where the service (and the `openai` client it builds) writes warnings and errors; `console` fits. */
export interface ServiceLogger {
  /** A warning, e.g. a setting that has no effect. */
  warn(message: string, ...details: unknown[]): void;
  /** An error the SDK logs (e.g. the raw text of malformed stream data). */
  error(message: string, ...details: unknown[]): void;
}

/** Options of `new OpenAIResponsesLLMService(...)`: the page's, plus what a TypeScript/Rx user needs. */
export interface OpenAIResponsesLLMServiceOptions {
  /** OpenAI API key; falls back to `process.env.OPENAI_API_KEY`. */
  readonly apiKey?: string;
  /** Base URL of the API (proxies, self-hosted, the fake server). */
  readonly baseURL?: string;
  /** OpenAI organization id. */
  readonly organization?: string;
  /** OpenAI project id. */
  readonly project?: string;
  /** Extra headers sent with every request. */
  readonly defaultHeaders?: Record<string, string>;
  /** Service tier, e.g. "auto", "flex", "priority" (`service_tier`). */
  readonly serviceTier?: 'auto' | 'default' | 'flex' | 'scale' | 'priority';
  /** Initial settings, from `OpenAIResponsesLLMService.Settings(...)` (or a plain object, validated here). */
  readonly settings?: OpenAIResponsesLLMSettingsInput;
  /** An `openai` client to use as is, instead of one built from the options above. */
  readonly client?: OpenAI;
  /** How often the SDK retries 408/409/429/5xx and connection errors (default 2). */
  readonly maxRetries?: number;
  /** The clock and timers of metrics and timeouts; inject a `TestScheduler` for virtual time. */
  readonly scheduler?: SchedulerLike;
  /** The I/O seam: request in, stream events out, unsubscribe aborts. Defaults to a streaming `POST /responses`. */
  readonly openStream?: OpenStream;
  /**
   * How the default `openStream` reads the body: `'eventsource-parser'` (default, about 4× less decoding work) or
   * `'sdk'` (iterate the `openai` SDK's own stream). Both send through the SDK, with its auth, retries and errors.
   */
  readonly streamReader?: 'eventsource-parser' | 'sdk';
  /**
   * `'http'` (default): a streaming `POST /responses` per response. `'websocket'`: the SDK's Responses WebSocket
   * (`ResponsesWS`), one connection per service reused across turns, sending only new input with `previous_response_id`
   * when it can. `runInference` always uses HTTP. Call `close()` when done with a WebSocket service.
   */
  readonly transport?: 'http' | 'websocket';
  /** With the WebSocket transport: how long a request may wait behind cancelled responses before moving to a new connection (default 1000 ms). */
  readonly webSocketDrainTimeoutMs?: number;
  /** The seam of `runInference`: request in, response object out. Defaults to a non-streaming `POST /responses`. */
  readonly openResponse?: OpenResponse;
  /** Name used in metrics and logs. */
  readonly name?: string;
  /** Where warnings go (default `console`). */
  readonly logger?: ServiceLogger;
  /** Run the function calls of one response at once (default true) or one after another (false). */
  readonly runInParallel?: boolean;
  /**
   * How many times one turn may run the model again with function results (default 10). When the model still asks
   * for calls after that many, their handlers run and the turn ends with an ErrorFrame (`FunctionCallLimitError`).
   */
  readonly maxFunctionCallRounds?: number;
  /** Default per-call handler timeout in milliseconds (none by default); `registerFunction` can override it. */
  readonly functionCallTimeoutMs?: number;
  /** Abort a response whose first output has not arrived within this many milliseconds (none by default). */
  readonly completionTimeoutMs?: number;
  /** Abort a response when no event arrives for this many milliseconds mid-stream (none by default). */
  readonly streamStallTimeoutMs?: number;
  /** Re-issue a request once when it timed out before any output (default false). */
  readonly retryOnTimeout?: boolean;
}

/** What a turn-starting frame asks for, once the context it names is known. */
type TurnCommand = { readonly run: LLMContext } | { readonly interrupt: Frame };

/** Service instances so far, to give each a distinct default name. */
let serviceCount = 0;

/**
 * Streams answers from the OpenAI Responses API inside an RxJS pipeline (Pipecat's `OpenAIResponsesLLMService`).
 * @example
 * const llm = new OpenAIResponsesLLMService({ settings: OpenAIResponsesLLMService.Settings({ model: 'gpt-4.1' }) });
 * const output$ = frames$.pipe(llm.operator());
 */
export class OpenAIResponsesLLMService {
  /** Validates and freezes settings (the same function as `OpenAIResponsesLLMSettings`). */
  static readonly Settings = OpenAIResponsesLLMSettings;

  /** The service's name in metrics and logs. */
  readonly name: string;
  /** The settings in force; each request reads the latest. */
  private readonly settingsSubject: BehaviorSubject<ResolvedSettings>;
  /** Every event the service emits; `on` and `events$` read it. */
  private readonly eventSubject = new Subject<ServiceEvent<OpenAIResponsesLLMService>>();
  /** The client, built on first use so a service with its own `openStream` needs no key. */
  private clientInstance: OpenAI | undefined;
  /** Function handlers by name; the `null` key is the catch-all. */
  private readonly functions = new Map<string | null, RegisteredFunction<OpenAIResponsesLLMService>>();
  /** Models already warned about for a reasoning setting they cannot use: one warning per model is enough. */
  private readonly warnedReasoningModels = new Set<string>();
  /** Whether the "these settings have no effect" warning was given: once per service is enough. */
  private warnedIneffective = false;
  private readonly openStream: OpenStream;
  /** The WebSocket connection holder, with `transport: 'websocket'`. */
  private readonly webSocket: ResponsesWebSocketTransport | undefined;
  private readonly openResponse: OpenResponse;
  /** The last `secrets` array handed out. */
  private secretValues: readonly (string | undefined)[] = [];
  /** What streaming a response needs from the service. */
  private readonly turnDeps: ResponseTurnDeps;
  /** What running function calls needs from the service. */
  private readonly functionCallDeps: FunctionCallDeps<OpenAIResponsesLLMService>;
  private readonly scheduler: SchedulerLike;
  private readonly logger: ServiceLogger;

  constructor(private readonly options: OpenAIResponsesLLMServiceOptions = {}) {
    this.name = options.name ?? `OpenAIResponsesLLMService#${serviceCount++}`;
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.logger = options.logger ?? console;
    this.clientInstance = options.client;
    const initial = OpenAIResponsesLLMSettings(options.settings ?? {});
    this.settingsSubject = new BehaviorSubject(mergeSettings(DEFAULT_SETTINGS, initial));
    this.warnIfIneffective(initial);
    this.warnIfReasoningUnsupported();
    validateOptions(options);
    const reader = STREAM_READERS[options.streamReader ?? 'eventsource-parser']!;
    this.webSocket =
      options.transport === 'websocket'
        ? new ResponsesWebSocketTransport(() => this.client, { scheduler: this.scheduler, drainTimeoutMs: options.webSocketDrainTimeoutMs ?? 1000 })
        : undefined;
    this.openStream = options.openStream ?? this.webSocket?.openStream ?? reader(() => this.client);
    this.openResponse = options.openResponse ?? sdkOpenResponse(() => this.client);
    // Built once and shared by every turn: a turn then costs only its own state. `secrets` stays a getter, as the key
    // may come from the environment after construction.
    const secrets = () => this.secrets;
    this.turnDeps = {
      openStream: this.openStream,
      scheduler: this.scheduler,
      processor: this.name,
      serviceTier: options.serviceTier,
      get secrets() {
        return secrets();
      },
      completionTimeoutMs: options.completionTimeoutMs,
      stallTimeoutMs: options.streamStallTimeoutMs,
      retryOnTimeout: options.retryOnTimeout,
      onTimeout: () => this.emitEvent('completionTimeout'),
    };
    this.functionCallDeps = {
      llm: this,
      lookup: (name) => this.functions.get(name) ?? this.functions.get(null),
      runInParallel: options.runInParallel ?? true,
      timeoutMs: options.functionCallTimeoutMs,
      scheduler: this.scheduler,
      onStarted: (calls) => this.emitEvent('functionCallsStarted', calls),
      get secrets() {
        return secrets();
      },
    };
  }

  /** The settings in force now. */
  get settings(): ResolvedSettings {
    return this.settingsSubject.value;
  }

  /** The settings over time (replays the current value). */
  get settings$(): Observable<ResolvedSettings> {
    return this.settingsSubject.asObservable();
  }

  /** Every service event, as an Observable. */
  get events$(): Observable<ServiceEvent<OpenAIResponsesLLMService>> {
    return this.eventSubject.asObservable();
  }

  /** The `openai` client the default I/O uses (built from the options on first use). */
  get client(): OpenAI {
    this.clientInstance ??= new OpenAI({
      apiKey: this.apiKey ?? missingKey(),
      baseURL: this.options.baseURL,
      organization: this.options.organization,
      project: this.options.project,
      defaultHeaders: this.options.defaultHeaders,
      maxRetries: this.options.maxRetries ?? 2,
      logger: { error: this.redactedLog('error'), warn: this.redactedLog('warn'), info: () => {}, debug: () => {} },
    });
    return this.clientInstance;
  }

  /** Releases what the service holds open between turns (the WebSocket connection); the service can be used again. */
  close(): void {
    this.webSocket?.close();
  }

  /** Merges a settings delta; the next request uses it. Throws `SettingsValidationError` and keeps the old settings on bad input. */
  updateSettings(delta: OpenAIResponsesLLMSettingsInput): void {
    const valid = OpenAIResponsesLLMSettings(delta);
    this.settingsSubject.next(mergeSettings(this.settingsSubject.value, valid));
    this.warnIfIneffective(valid);
    this.warnIfReasoningUnsupported();
  }

  /**
   * One-shot, non-streaming inference that pushes nothing through the pipeline; resolves to the output text (null when
   * there is none) or rejects with a typed error.
   * @example const answer = await llm.runInference(context, { maxTokens: 100, systemInstruction: 'Be brief.' });
   */
  runInference(context: LLMContext, options: InferenceOptions = {}): Promise<string | null> {
    return firstValueFrom(this.inference$(context, options));
  }

  /** `runInference` as an Observable: one value, then complete; unsubscribing aborts the request. */
  inference$(context: LLMContext, options: InferenceOptions = {}): Observable<string | null> {
    return inference(() => buildInferenceRequest(context, this.settings, options, this.options.serviceTier), this.openResponse, this.secrets);
  }

  /**
   * Registers the handler of a function the model may call; `null` registers a catch-all for every other name.
   * @example llm.registerFunction('get_time', () => ({ time: new Date().toISOString() }));
   */
  registerFunction(name: string | null, handler: FunctionCallHandler<OpenAIResponsesLLMService>, options: RegisterFunctionOptions = {}): void {
    this.functions.set(name, { handler, options });
  }

  /** Removes a function's handler (`null`: the catch-all). */
  unregisterFunction(name: string | null): void {
    this.functions.delete(name);
  }

  /** Whether a call to this name would find a handler (its own or the catch-all). */
  hasFunction(name: string): boolean {
    return this.functions.has(name) || this.functions.has(null);
  }

  /**
   * Registers a handler for a service event; returns a function that removes it.
   * @example const off = llm.on('completionTimeout', (service) => console.log(`${service.name} timed out`));
   */
  on<K extends ServiceEventName>(name: K, handler: ServiceEventHandler<OpenAIResponsesLLMService, K>): () => void {
    const subscription = this.eventSubject.pipe(filter((event) => event.name === name)).subscribe((event) => {
      (handler as (service: OpenAIResponsesLLMService, ...args: unknown[]) => void)(event.service, ...event.args);
    });
    return () => subscription.unsubscribe();
  }

  /**
   * The LLM stage: consumes context, append and settings frames, streams a response per context (a newer context or
   * an `InterruptionFrame` cancels the one in flight and aborts its request) and passes every other frame through.
   * Failures become `ErrorFrame`s; the output never errors.
   */
  operator<T extends { readonly type: string } = never>(): OperatorFunction<Frame | T, Frame | T> {
    return (source) =>
      defer(() => {
        // The context `LLMMessagesAppendFrame` appends to: the last one an `LLMContextFrame` brought, or a fresh one.
        let context = new LLMContext();
        // Whether Start went out without its End: a cancelled response is closed before whatever replaces it.
        const tracker: OpenResponseTracker = { open: false };
        const closeOpenResponse = (): LLMFullResponseEndFrame | undefined => {
          if (!tracker.open) return undefined;
          tracker.open = false;
          return new LLMFullResponseEndFrame();
        };
        // Context, append and interruption frames start or cancel the turn; settings frames are applied; the rest pass.
        const route = (frame: Frame, pass: FrameSink, switchTo: (command: TurnCommand) => void): void => {
          if (frame.type === 'LLMContextFrame') {
            context = frame.context;
            switchTo({ run: context });
          } else if (frame.type === 'LLMMessagesAppendFrame') {
            context.addMessages(frame.messages);
            if (frame.runLlm) switchTo({ run: context });
          } else if (frame.type === 'InterruptionFrame') switchTo({ interrupt: frame });
          else if (frame.type === 'LLMUpdateSettingsFrame') this.applySettingsFrame(frame, pass);
          else pass(frame);
        };
        return (source as Observable<Frame>).pipe(
          // The previous turn is unsubscribed when the projection runs, so `tracker` says whether it left a response open.
          passOrSwitch(route, (command: TurnCommand) => {
            const closing = closeOpenResponse();
            if ('run' in command) return this.respond(command.run, tracker, closing);
            return closing ? of(closing, command.interrupt) : of(command.interrupt);
          }),
        ) as Observable<Frame | T>;
      });
  }

  /**
   * The frames of one turn for a context: the response, then, if it asked for function calls, their handlers and a
   * new response with the results, and so on (up to `maxFunctionCallRounds` follow-ups; `round` counts them). All of
   * it is one inner Observable, so a cancel stops every part. Called when the turn starts (it reads the settings then).
   */
  private respond(context: LLMContext, tracker: OpenResponseTracker, leading?: Frame, round = 0): Observable<Frame> {
    const response = streamResponse(context, this.settings, this.turnDeps, tracker, leading);
    // Whether the handlers asked for the model to run again with their results.
    let runAgain = false;
    return response.frames$.pipe(
      followedBy(() => {
        // Calls whose arguments never finished (the stream broke) are dropped, not run.
        const calls = [...response.state.functionCalls.values()].filter((call) => call.done);
        if (calls.length === 0) return EMPTY;
        return runFunctionCalls(calls, context, this.functionCallDeps, (outcome) => (runAgain = outcome.runLlm), response.state.reasoningItems).pipe(
          followedBy(() => {
            if (!runAgain) return EMPTY;
            // `round` follow-ups ran already: a model that keeps calling tools must not keep a turn (and its bill) going.
            if (round >= this.maxFunctionCallRounds) return of(errorFrameFor(new FunctionCallLimitError(round), this.secrets));
            return this.respond(context, tracker, undefined, round + 1);
          }),
        );
      }),
    );
  }

  /** How many follow-up responses one turn may run. */
  private get maxFunctionCallRounds(): number {
    return this.options.maxFunctionCallRounds ?? 10;
  }

  /** Applies a settings frame; a bad delta becomes an ErrorFrame and the old settings stay. */
  private applySettingsFrame(frame: LLMUpdateSettingsFrame, emit: FrameSink): void {
    try {
      this.updateSettings(frame.delta);
    } catch (error) {
      emit(errorFrameFor(error, this.secrets));
    }
  }

  /** Emits a service event to `events$` and the `on` handlers. */
  protected emitEvent<K extends ServiceEventName>(name: K, ...args: ServiceEventArgs[K]): void {
    this.eventSubject.next({ name, service: this, args } as ServiceEvent<OpenAIResponsesLLMService>);
  }

  /** A log function for the SDK: its lines can quote raw server data, so each is flattened to text and redacted. */
  private redactedLog(level: keyof ServiceLogger): (message: string, ...details: unknown[]) => void {
    return (message, ...details) => {
      const text = [message, ...details.map((detail) => (typeof detail === 'string' ? detail : safeJson(detail)))].join(' ');
      this.logger[level](redactSecrets(text, this.secrets));
    };
  }

  private get apiKey(): string | undefined {
    return this.options.apiKey ?? process.env.OPENAI_API_KEY;
  }

  /** Values no message may show: the key in use. One array while the key stays the same (each response holds it). */
  private get secrets(): readonly (string | undefined)[] {
    const key = this.apiKey;
    if (this.secretValues[0] !== key) this.secretValues = [key];
    return this.secretValues;
  }

  private warnIfReasoningUnsupported(): void {
    const { model, reasoning } = this.settings;
    if (!reasoning || reasoning === NOT_GIVEN || isReasoningModel(model) || this.warnedReasoningModels.has(model)) return;
    this.warnedReasoningModels.add(model);
    this.logger.warn(`${this.name}: reasoning is set but ${model} is not a reasoning model; the API may reject the request.`);
  }

  private warnIfIneffective(delta: ReturnType<typeof OpenAIResponsesLLMSettings>): void {
    const fields = ineffectiveSettingsIn(delta);
    if (this.warnedIneffective || fields.length === 0) return;
    this.warnedIneffective = true;
    this.logger.warn(
      `${this.name}: ${fields.join(', ')} ${fields.length === 1 ? 'has' : 'have'} no effect: the Responses API has no such parameter, so it is not sent.`,
    );
  }
}

/** The readers of the default `openStream`, by the name the `streamReader` option gives. */
const STREAM_READERS: Readonly<Record<string, (getClient: () => OpenAI) => OpenStream>> = {
  'eventsource-parser': parserOpenStream,
  sdk: sdkOpenStream,
};

/** Options that name one of a few choices, and the choices. */
const CHOICE_OPTIONS = {
  streamReader: Object.keys(STREAM_READERS),
  transport: ['http', 'websocket'],
} as const;

/** Numeric options and what each accepts: a bad one throws at construction, naming it. */
const NUMERIC_OPTIONS = {
  maxRetries: { min: 0, allowed: 'an integer of 0 or more', integer: true },
  maxFunctionCallRounds: { min: 1, allowed: 'an integer of 1 or more', integer: true },
  completionTimeoutMs: { min: 1, allowed: 'a positive number of milliseconds', integer: false },
  streamStallTimeoutMs: { min: 1, allowed: 'a positive number of milliseconds', integer: false },
  functionCallTimeoutMs: { min: 1, allowed: 'a positive number of milliseconds', integer: false },
  webSocketDrainTimeoutMs: { min: 0, allowed: 'a number of milliseconds, 0 or more', integer: false },
} as const;

function validateOptions(options: OpenAIResponsesLLMServiceOptions): void {
  for (const [field, choices] of Object.entries(CHOICE_OPTIONS)) {
    const value = options[field as keyof typeof CHOICE_OPTIONS];
    if (value !== undefined && !(choices as readonly string[]).includes(value)) {
      throw new SettingsValidationError(field, choices.map((choice) => `'${choice}'`).join(' or '), value);
    }
  }
  for (const [field, rule] of Object.entries(NUMERIC_OPTIONS)) {
    const value = options[field as keyof typeof NUMERIC_OPTIONS];
    if (value === undefined) continue;
    const fits = typeof value === 'number' && Number.isFinite(value) && value >= rule.min && (!rule.integer || Number.isInteger(value));
    if (!fits) throw new SettingsValidationError(field, rule.allowed, value);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function missingKey(): never {
  throw new RxResponsesError('No OpenAI API key: pass apiKey to OpenAIResponsesLLMService or set OPENAI_API_KEY.');
}
