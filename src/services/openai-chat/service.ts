import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { defer, firstValueFrom, from, map, type Observable } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import { retryRequests } from '../../llm/retry';
import { OpenAIService } from '../openai/openai-service';
import { DRAIN_LIMITS, readSse } from '../openai/sse-reader';
import { abortable } from '../openai/abortable';
import type { InferenceOptions } from '../../llm/inference-options';
import type { ChatStreamEvent } from './frames-from-chunks';
import { ChatProvider } from './provider';
import { CHAT_OPTION_RULES, type OpenAILLMServiceOptions, type OpenChatCompletion } from './options';
import { buildChatRequest, type ChatStreamRequest } from './request';
import { chatSettings, OpenAILLMSettings, type OpenAILLMResolvedSettings, type OpenAILLMSettingsValues } from './settings';
import { shareClasses } from '../../runtime/shared-classes';

/**
 * Streams answers from the OpenAI Chat Completions API (or any endpoint that speaks it: vLLM, Ollama, Groq, …) inside an
 * RxJS pipeline: Pipecat's `OpenAILLMService`, with the same options, frames, function calling, events and errors as
 * `OpenAIResponsesLLMService`.
 * @example
 * const llm = new OpenAILLMService({ baseURL: 'http://localhost:11434/v1', apiKey: 'ollama', settings: OpenAILLMService.Settings({ model: 'llama3.1' }) });
 * const output$ = frames$.pipe(llm.operator());
 */
export class OpenAILLMService extends OpenAIService<OpenAILLMSettingsValues, ChatStreamEvent, OpenAILLMServiceOptions> {
  /** Validates and freezes settings (the same function as `OpenAILLMSettings`). */
  static readonly Settings = OpenAILLMSettings;

  /** How the core streams responses: requests built from the context, sent through `openStream`, chunks mapped. */
  protected readonly provider: ChatProvider;
  /** The seam of `runInference`. */
  private readonly openCompletion: OpenChatCompletion;

  constructor(options: OpenAILLMServiceOptions = {}) {
    super('OpenAILLMService', chatSettings, options, CHAT_OPTION_RULES);
    // After the usage chunk (the response's end), the rest of the body is read so the connection is kept.
    const drain = { ...DRAIN_LIMITS, scheduler: this.scheduler, isTerminal: (chunk: ChatCompletionChunk) => Boolean(chunk.usage) };
    const openStream = options.openStream ?? this.afterWarmUp((request: ChatStreamRequest) => readSse<ChatCompletionChunk>((signal) => this.client.chat.completions.create(request, { signal }).asResponse(), drain));
    this.provider = new ChatProvider(openStream, options.serviceTier);
    this.openCompletion = options.openCompletion ?? ((request) => abortable((signal) => from(this.client.chat.completions.create(request, { signal }))));
  }

  /**
   * One-shot, non-streaming inference that pushes nothing through the pipeline; resolves to the answer's text (null when
   * there is none) or rejects with a typed error.
   */
  runInference(context: LLMContext, options: InferenceOptions = {}): Promise<string | null> {
    return firstValueFrom(this.inference$(context, options));
  }

  /** `runInference` as an Observable: one value, then complete; unsubscribing aborts the request. */
  inference$(context: LLMContext, options: InferenceOptions = {}): Observable<string | null> {
    const settings: OpenAILLMResolvedSettings = {
      ...this.settings,
      systemInstruction: options.systemInstruction ?? this.settings.systemInstruction,
      maxCompletionTokens: options.maxTokens ?? this.settings.maxCompletionTokens,
    };
    return defer(() => this.openCompletion(buildChatRequest(context, settings, this.options.serviceTier))).pipe(
      map((completion) => completion.choices[0]?.message.content ?? null),
      retryRequests(this.retryPolicy, (error) => this.toError(error)),
      this.typedErrors(),
    );
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ OpenAILLMService });
