export { OpenAILLMService } from './service';
export type { OpenAILLMServiceOptions, OpenChatStream } from './options';
export { OpenAILLMSettings } from './settings';
export type { OpenAILLMSettingsInput } from './settings';
