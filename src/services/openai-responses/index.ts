export { OpenAIResponsesLLMService } from './service';
export type { OpenAIResponsesLLMServiceOptions } from './options';
export { OpenAIResponsesLLMSettings } from './settings';
export type { OpenAIResponsesLLMSettingsInput, OpenAIResponsesLLMSettingsValues } from './settings';
export type { OpenStream } from './sse-stream';
export type { OpenResponse } from './inference';
export type { WebSocketClass } from './websocket/platform-socket';
