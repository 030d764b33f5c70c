export { OpenAIResponsesLLMService } from './service';
export type { OpenAIResponsesLLMServiceOptions } from './options';
export { OpenAIResponsesLLMSettings } from './settings';
export type { OpenAIResponsesLLMSettingsInput } from './settings';
export type { OpenStream } from './sse-stream';
export type { WebSocketClass } from './websocket/platform-socket';
