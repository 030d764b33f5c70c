import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { endWith, type Observable } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import type { RxResponsesError } from '../../errors/errors';
import type { FrameSink, LLMProvider } from '../../llm/provider';
import { requestAttributesOf } from '../../llm/request-attributes';
import type { ResponseRecord } from '../../llm/response-record';
import type { SpanAttributeValue } from '../../llm/tracing';
import { toServiceError } from '../openai/errors';
import { emitFramesForChunk, END_OF_STREAM, isChatOutput, type ChatStreamEvent } from './frames-from-chunks';
import type { OpenChatStream } from './options';
import { buildChatStreamRequest } from './request';
import type { OpenAILLMResolvedSettings } from './settings';

/** The OpenAI Chat Completions API as an `LLMProvider`: the request built from the context, its chunks mapped to frames. */
export class ChatProvider implements LLMProvider<ChatStreamEvent, OpenAILLMResolvedSettings> {
  readonly system = 'openai';

  constructor(
    private readonly openStream: OpenChatStream,
    private readonly serviceTier: ChatCompletionCreateParamsBase['service_tier'] | undefined,
  ) {}

  openEvents(context: LLMContext, settings: OpenAILLMResolvedSettings): Observable<ChatStreamEvent> {
    // The body's end is an event here: a stream without a usage chunk ends its response when it ends.
    return this.openStream(buildChatStreamRequest(context, settings, this.serviceTier)).pipe(endWith(END_OF_STREAM));
  }

  isOutputEvent(event: ChatStreamEvent): boolean {
    return isChatOutput(event);
  }

  mapEvent(event: ChatStreamEvent, response: ResponseRecord, emit: FrameSink): void {
    emitFramesForChunk(event, response, emit);
  }

  toError(error: unknown): RxResponsesError {
    return toServiceError(error);
  }

  requestAttributes(context: LLMContext, settings: OpenAILLMResolvedSettings): Record<string, SpanAttributeValue> {
    return requestAttributesOf(buildChatStreamRequest(context, settings, this.serviceTier));
  }
}
