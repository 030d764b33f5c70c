import { z } from 'zod/v4';
import type { Observable } from 'rxjs';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParamsBase, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { LLMServiceOptions } from '../../llm/service-options';
import type { FieldRules } from '../../runtime/validation';
import { OPENAI_CLIENT_OPTION_RULES, type OpenAIClientOptions } from '../openai/client';
import type { ChatStreamRequest } from './request';
import type { OpenAILLMSettingsInput } from './settings';

/** The I/O seam of the Chat Completions service: a request in, its chunks out; unsubscribing aborts. */
export type OpenChatStream = (request: ChatStreamRequest) => Observable<ChatCompletionChunk>;
/** The seam of its `runInference`: a request in, the completion out; unsubscribing aborts. */
export type OpenChatCompletion = (request: ChatCompletionCreateParamsNonStreaming) => Observable<ChatCompletion>;

/** Options of `new OpenAILLMService(...)`: the same as the Responses service's, where Chat Completions has them. */
export interface OpenAILLMServiceOptions extends LLMServiceOptions<OpenAILLMSettingsInput>, OpenAIClientOptions {
  /**
   * Service tier (`service_tier`).
   * @default none
   */
  readonly serviceTier?: NonNullable<ChatCompletionCreateParamsBase['service_tier']> | undefined;
  /**
   * The I/O seam: request in, chunks out, unsubscribe aborts.
   * @default a streaming POST /chat/completions through the openai client
   */
  readonly openStream?: OpenChatStream | undefined;
  /**
   * The seam of `runInference`.
   * @default a non-streaming POST /chat/completions through the openai client
   */
  readonly openCompletion?: OpenChatCompletion | undefined;
}

const aFunction = { schema: z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function'), allowed: 'a function' };

/** The rules of the Chat Completions service's own options (the common ones are checked by the core). */
export const CHAT_OPTION_RULES: FieldRules = {
  ...OPENAI_CLIENT_OPTION_RULES,
  serviceTier: { schema: z.enum(['auto', 'default', 'flex', 'scale', 'priority']), allowed: "'auto', 'default', 'flex', 'scale' or 'priority'" },
  openStream: aFunction,
  openCompletion: aFunction,
};
