import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Observable } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import type { RxResponsesError } from '../../errors/errors';
import type { FrameSink, LLMProvider } from '../../llm/provider';
import { requestAttributesOf } from '../../llm/request-attributes';
import { reasoningOrigin, type ResponseRecord } from '../../llm/response-record';
import type { SpanAttributeValue } from '../../llm/tracing';
import { toServiceError } from '../openai/errors';
import { chainedStream } from './chained-stream';
import { isOutputEvent } from './events';
import { emitFramesForEvent } from './frames-from-events';
import type { OpenStream } from './sse-stream';
import { buildStreamRequest, type ServiceTier } from './request';
import type { ResponseChain } from './response-chain';
import type { ResolvedSettings } from './settings';

/** What the Responses provider sends requests with. */
export interface ResponsesProviderParts {
  /** The I/O seam: a request in, its events out (HTTP, WebSocket, or the app's own). */
  readonly openStream: OpenStream;
  /** The server-side chain of HTTP requests, with `store: true`. */
  readonly chain: ResponseChain | undefined;
  /** The constructor's `serviceTier`. */
  readonly serviceTier: ServiceTier | undefined;
  /** The constructor's `store`. */
  readonly store: boolean | undefined;
  /** The service's name: with the model, whose reasoning a request may send back. */
  readonly name: string;
}

/** The OpenAI Responses API as an `LLMProvider`: the request built from the context, its stream events mapped to frames. */
export class ResponsesProvider implements LLMProvider<ResponseStreamEvent, ResolvedSettings> {
  readonly system = 'openai';

  constructor(private readonly parts: ResponsesProviderParts) {}

  openEvents(context: LLMContext, settings: ResolvedSettings): Observable<ResponseStreamEvent> {
    const { openStream, chain, serviceTier, store, name } = this.parts;
    const request = buildStreamRequest({ context, settings, serviceTier, store, origin: reasoningOrigin(name, settings.model) });
    return chain ? chainedStream(request, chain, openStream) : openStream(request);
  }

  isOutputEvent(event: ResponseStreamEvent): boolean {
    return isOutputEvent(event);
  }

  mapEvent(event: ResponseStreamEvent, response: ResponseRecord, emit: FrameSink): void {
    emitFramesForEvent(event, response, emit);
  }

  toError(error: unknown): RxResponsesError {
    return toServiceError(error);
  }

  requestAttributes(context: LLMContext, settings: ResolvedSettings): Record<string, SpanAttributeValue> {
    const { serviceTier, store, name } = this.parts;
    return requestAttributesOf(buildStreamRequest({ context, settings, serviceTier, store, origin: reasoningOrigin(name, settings.model) }));
  }
}
