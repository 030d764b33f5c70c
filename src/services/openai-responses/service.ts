import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { concatMap, firstValueFrom, from, of, throwError, type Observable } from 'rxjs';
import { isPromise, isUsableSchema, unusableSchema, type AnySchema, type SchemaOutput } from '../../context/schemas';
import { SettingsValidationError } from '../../errors/errors';
import type { LLMContext } from '../../context/llm-context';
import type { SettingsWarning } from '../../llm/service-settings';
import { retryRequests } from '../../llm/retry';
import { parseStructured } from '../../llm/structured-output';
import { isGiven } from '../../llm/not-given';
import { OpenAIService } from '../openai/openai-service';
import type { OpenStream } from './sse-stream';
import type { InferenceOptions, StructuredInferenceOptions } from '../../llm/inference-options';
import { buildInferenceRequest, inference, sdkOpenResponse, type OpenResponse } from './inference';
import { RESPONSES_OPTION_RULES, type OpenAIResponsesLLMServiceOptions } from './options';
import { isReasoningModel } from './reasoning';
import { ResponsesProvider } from './provider';
import {
  ineffectiveSettingsIn,
  OpenAIResponsesLLMSettings,
  responsesSettings,
  type OpenAIResponsesLLMSettingsDelta,
  type OpenAIResponsesLLMSettingsValues,
  type ResolvedSettings,
} from './settings';
import { parserOpenStream } from './sse-stream';
import { ResponseChain } from './response-chain';
import { chooseResponsesSocket } from './websocket/choose-socket';
import { ResponsesWebSocketTransport } from './websocket/ws-transport';
import { shareClasses } from '../../runtime/shared-classes';

/**
 * Streams answers from the OpenAI Responses API inside an RxJS pipeline (Pipecat's `OpenAIResponsesLLMService`).
 * @example
 * const llm = new OpenAIResponsesLLMService({ settings: OpenAIResponsesLLMService.Settings({ model: 'gpt-4.1' }) });
 * const output$ = frames$.pipe(llm.operator());
 */
export class OpenAIResponsesLLMService extends OpenAIService<OpenAIResponsesLLMSettingsValues, ResponseStreamEvent, OpenAIResponsesLLMServiceOptions> {
  /** Validates and freezes settings (the same function as `OpenAIResponsesLLMSettings`). */
  static readonly Settings = OpenAIResponsesLLMSettings;

  /** How the core streams responses: requests built from the context, sent through `openStream`, events mapped. */
  protected readonly provider: ResponsesProvider;
  /** The seam of `runInference`. */
  private readonly openResponse: OpenResponse;
  /** The WebSocket connection holder, with `transport: 'websocket'`. */
  private readonly webSocket: ResponsesWebSocketTransport | undefined;

  constructor(options: OpenAIResponsesLLMServiceOptions = {}) {
    super('OpenAIResponsesLLMService', responsesSettings, options, RESPONSES_OPTION_RULES);
    const getClient = () => this.client;
    this.webSocket =
      options.transport === 'websocket'
        ? new ResponsesWebSocketTransport(getClient, {
            scheduler: this.scheduler,
            drainTimeoutMs: options.webSocketDrainTimeoutMs ?? 1000,
            maxAgeMs: options.webSocketMaxAgeMs ?? 55 * 60_000,
            reconnectDelayMs: options.webSocketReconnectDelayMs ?? 250,
            onConnectionError: (error) => this.emitEvent('connectionError', this.redactor.error(error)),
            openSocket: chooseResponsesSocket(options.webSocketClass),
          })
        : undefined;
    const openStream: OpenStream = options.openStream ?? this.webSocket?.openStream ?? this.afterWarmUp(parserOpenStream(getClient, this.scheduler));
    this.openResponse = options.openResponse ?? sdkOpenResponse(getClient);
    // The server-side chain of the HTTP requests, with `store: true` (the WebSocket transport keeps its own).
    const chain = options.store && !this.webSocket ? new ResponseChain() : undefined;
    this.provider = new ResponsesProvider({ openStream, chain, serviceTier: options.serviceTier, store: options.store, name: this.name });
  }

  /** With the WebSocket transport, opens the socket; over HTTP, warms the client's connection pool. */
  protected override openConnection(): Promise<void> {
    return this.webSocket ? this.webSocket.warmUp() : super.openConnection();
  }

  /** Releases what the service holds open between turns (the WebSocket connection); the service can be used again. */
  override close(): void {
    this.webSocket?.close();
  }

  /**
   * One-shot, non-streaming inference that pushes nothing through the pipeline; resolves to the output text (null when
   * there is none) or rejects with a typed error.
   * @example const answer = await llm.runInference(context, { maxTokens: 100, systemInstruction: 'Be brief.' });
   */
  runInference<S extends AnySchema>(context: LLMContext, options: StructuredInferenceOptions<S>): Promise<SchemaOutput<S>>;
  runInference(context: LLMContext, options?: InferenceOptions): Promise<string | null>;
  runInference(context: LLMContext, options: InferenceOptions | StructuredInferenceOptions = {}): Promise<unknown> {
    return firstValueFrom(this.inference$(context, options as StructuredInferenceOptions));
  }

  /** `runInference` as an Observable: one value, then complete; unsubscribing aborts the request. */
  inference$<S extends AnySchema>(context: LLMContext, options: StructuredInferenceOptions<S>): Observable<SchemaOutput<S>>;
  inference$(context: LLMContext, options?: InferenceOptions): Observable<string | null>;
  inference$(context: LLMContext, options: InferenceOptions | StructuredInferenceOptions = {}): Observable<unknown> {
    // With a schema, it must be one this library can send (zod 4 or 3.25+'s zod/v4, or Standard JSON Schema).
    const schema = 'schema' in options ? options.schema : undefined;
    if (schema !== undefined && !isUsableSchema(schema)) {
      const reason = unusableSchema(schema);
      const allowed = `a zod 4 schema (or zod 3.25+'s zod/v4) or a Standard JSON Schema${reason ? `; this is ${reason}` : ''}`;
      return throwError(() => new SettingsValidationError('schema', allowed, schema));
    }
    const request = () => buildInferenceRequest(context, this.settings, options, this.options.serviceTier);
    const text$ = inference(request, this.openResponse).pipe(retryRequests(this.retryPolicy, (error) => this.toError(error)));
    // With a schema, the answer is parsed and validated: a mismatch rejects with a StructuredOutputError naming the path.
    const answer$: Observable<unknown> = schema
      ? text$.pipe(
          concatMap((text) => {
            const parsed = parseStructured(text, schema);
            return isPromise(parsed) ? from(parsed) : of(parsed);
          }),
        )
      : text$;
    return answer$.pipe(this.typedErrors());
  }

  protected override settingsWarnings(delta: OpenAIResponsesLLMSettingsDelta, settings: ResolvedSettings): SettingsWarning[] {
    const warnings: SettingsWarning[] = [];
    const fields = ineffectiveSettingsIn(delta);
    if (fields.length > 0) {
      const verb = fields.length === 1 ? 'has' : 'have';
      warnings.push({ key: 'ineffective', message: `${fields.join(', ')} ${verb} no effect: the Responses API has no such parameter, so it is not sent.` });
    }
    const { model, reasoning } = settings;
    const sampling = (['temperature', 'topP'] as const).filter((field) => isGiven(settings[field]) && settings[field] !== null);
    if (sampling.length > 0 && isReasoningModel(model)) {
      warnings.push({ key: `sampling:${model}`, message: `${sampling.join(' and ')} ${sampling.length === 1 ? 'is' : 'are'} not sent to ${model}: reasoning models do not accept them.` });
    }
    if (isGiven(reasoning) && reasoning && !isReasoningModel(model)) {
      warnings.push({ key: `reasoning:${model}`, message: `reasoning is set but ${model} is not a reasoning model; the API may reject the request.` });
    }
    return warnings;
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ OpenAIResponsesLLMService });
