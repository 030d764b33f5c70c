import type OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { defer, from, map, type Observable } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import { strictJsonSchemaOf } from '../../llm/structured-output';
import { abortable } from '../openai/abortable';
import { buildNonStreamRequest, type ServiceTier } from './request';
import type { AnySchema } from '../../context/schemas';
import type { ResolvedSettings } from './settings';
import type { InferenceOptions } from '../../llm/inference-options';

/** The non-streaming seam: a request in, the response object out; unsubscribing aborts. */
export type OpenResponse = (request: ResponseCreateParamsNonStreaming) => Observable<Response>;

/** The default `OpenResponse`: a `POST /responses` with `stream: false` through the SDK, aborted on unsubscribe. */
export function sdkOpenResponse(getClient: () => OpenAI): OpenResponse {
  return (request) => abortable((signal) => from(getClient().responses.create(request, { signal })));
}

/** The request body of an out-of-band inference (pure): the settings, with this call's overrides. */
export function buildInferenceRequest(
  context: LLMContext,
  settings: ResolvedSettings,
  options: InferenceOptions & { readonly schema?: AnySchema | undefined; readonly schemaName?: string | undefined },
  serviceTier?: ServiceTier,
): ResponseCreateParamsNonStreaming {
  const overridden: ResolvedSettings = {
    ...settings,
    systemInstruction: options.systemInstruction ?? settings.systemInstruction,
    maxCompletionTokens: options.maxTokens ?? settings.maxCompletionTokens,
  };
  const request = buildNonStreamRequest({ context, settings: overridden, serviceTier });
  if (!options.schema) return request;
  const format = { type: 'json_schema' as const, name: options.schemaName ?? 'answer', schema: strictJsonSchemaOf(options.schema), strict: true };
  return { ...request, text: { ...request.text, format } };
}

/** The text of a response's output messages, or null when it has none (pure). */
export function outputTextOf(response: Response): string | null {
  const texts = (response.output ?? []).flatMap((item) =>
    item.type === 'message' ? item.content.flatMap((part) => (part.type === 'output_text' ? [part.text] : [])) : [],
  );
  return texts.length > 0 ? texts.join('') : null;
}

/** One inference as an Observable of its text; the service types and cleans its errors. */
export function inference(request: () => ResponseCreateParamsNonStreaming, openResponse: OpenResponse): Observable<string | null> {
  return defer(() => openResponse(request())).pipe(map(outputTextOf));
}
