import { z } from 'zod/v4';
import type { LLMServiceOptions } from '../../llm/service-options';
import type { FieldRules } from '../../runtime/validation';
import { OPENAI_CLIENT_OPTION_RULES, type OpenAIClientOptions } from '../openai/client';
import type { OpenStream } from './sse-stream';
import type { WebSocketClass } from './websocket/platform-socket';
import type { OpenResponse } from './inference';
import type { ServiceTier } from './request';
import type { OpenAIResponsesLLMSettingsInput } from './settings';

/** How requests reach the API. */
export const TRANSPORTS = ['http', 'websocket'] as const;
/** The service tiers the API knows. */
const SERVICE_TIERS = ['auto', 'default', 'flex', 'scale', 'priority'] as const satisfies readonly ServiceTier[];

/** Options of `new OpenAIResponsesLLMService(...)`: the page's, plus what a TypeScript/Rx user needs. */
export interface OpenAIResponsesLLMServiceOptions extends LLMServiceOptions<OpenAIResponsesLLMSettingsInput>, OpenAIClientOptions {
  /**
   * Service tier (`service_tier`): "auto", "default", "flex", "scale" or "priority".
   * @default none
   */
  readonly serviceTier?: (typeof SERVICE_TIERS)[number] | undefined;
  /**
   * The I/O seam: request in, stream events out, unsubscribe aborts (marble tests pass cold Observables here).
   * @default a streaming POST /responses through the openai client
   */
  readonly openStream?: OpenStream | undefined;
  /**
   * How requests reach the API: a streaming `POST /responses` per response (`'http'`), or the Responses WebSocket mode
   * (`'websocket'`), one connection per service reused across turns. The WebSocket sends only new input with
   * `previous_response_id` when it can (in Node over the SDK's `ResponsesWS`, in a browser over the platform's
   * `WebSocket`); `runInference` always uses HTTP. Call `close()` when done with a WebSocket service.
   * @default 'http'
   */
  readonly transport?: (typeof TRANSPORTS)[number] | undefined;
  /**
   * With the WebSocket transport: a class with the standard WebSocket API to connect with, called as `new
   * webSocketClass(url)`. A standard WebSocket sends no key: point `baseURL` at a proxy that adds it.
   * @default the SDK's ResponsesWS in Node (it sends the key as a header), the platform's WebSocket elsewhere
   */
  readonly webSocketClass?: WebSocketClass | undefined;
  /**
   * With the WebSocket transport: how long (ms) a request may wait behind earlier responses before moving to a new connection (behind cancelled ones only, it moves as soon as a new connection is open).
   * @default 1000
   */
  readonly webSocketDrainTimeoutMs?: number | undefined;
  /**
   * With the WebSocket transport: replace a connection this old (ms) between responses (the server's limit is 60 minutes).
   * @default 3300000
   */
  readonly webSocketMaxAgeMs?: number | undefined;
  /**
   * With the WebSocket transport: the wait (ms) before reconnecting after a drop, to send the response in flight again.
   * @default 250
   */
  readonly webSocketReconnectDelayMs?: number | undefined;
  /**
   * The seam of `runInference`: request in, response object out.
   * @default a non-streaming POST /responses through the openai client
   */
  readonly openResponse?: OpenResponse | undefined;
  /**
   * `true`: responses are stored by OpenAI (for 30 days, as `store: true` means) and HTTP requests chain with
   * `previous_response_id`, sending only the new input when the history allows; the full input again when the server
   * lost the chain. `false`: nothing is kept server-side and every request carries the whole conversation.
   * @default false
   */
  readonly store?: boolean | undefined;
}

const choice = <T extends readonly string[]>(values: T) => ({ schema: z.enum(values), allowed: values.map((value) => `'${value}'`).join(' or ') });
const aFunction = { schema: z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function'), allowed: 'a function' };

/** The rules of the Responses service's own options (the common ones are checked by the core). */
export const RESPONSES_OPTION_RULES: FieldRules = {
  ...OPENAI_CLIENT_OPTION_RULES,
  serviceTier: choice(SERVICE_TIERS),
  openStream: aFunction,
  transport: choice(TRANSPORTS),
  webSocketClass: { schema: z.custom<WebSocketClass>((value) => typeof value === 'function'), allowed: 'a WebSocket class (a constructor)' },
  webSocketDrainTimeoutMs: { schema: z.number().min(0).finite(), allowed: 'a number of milliseconds, 0 or more' },
  webSocketMaxAgeMs: { schema: z.number().positive().finite(), allowed: 'a positive number of milliseconds' },
  webSocketReconnectDelayMs: { schema: z.number().min(0).finite(), allowed: 'a number of milliseconds, 0 or more' },
  openResponse: aFunction,
  store: { schema: z.boolean(), allowed: 'a boolean' },
};
