export { OpenAILLMService } from './service';
export type { OpenAILLMServiceOptions, OpenChatCompletion, OpenChatStream } from './options';
export { OpenAILLMSettings } from './settings';
export type { OpenAILLMSettingsInput, OpenAILLMSettingsValues } from './settings';
