export { OpenAIResponsesLLMService } from './service';
export type { OpenAIResponsesLLMServiceOptions } from './options';
export { OpenAIResponsesLLMSettings } from './settings';
export type {
  OpenAIResponsesLLMSettingsDelta,
  OpenAIResponsesLLMSettingsInput,
  OpenAIResponsesLLMSettingsValues,
  ReasoningSettings,
  ResolvedSettings,
} from './settings';
export { sdkOpenStream } from './http-stream';
export type { OpenStream } from './http-stream';
export { parserOpenStream } from './sse-stream';
export type { ResponsesStreamRequest, ServiceTier } from './request';
export type { InferenceOptions, OpenResponse, StructuredInferenceOptions } from './inference';
export type { WebSocketClass, WebSocketLike } from './websocket/platform-socket';
