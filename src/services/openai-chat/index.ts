export { OpenAILLMService } from './service';
export type { OpenAILLMServiceOptions, OpenChatCompletion, OpenChatStream } from './options';
export { OpenAILLMSettings } from './settings';
export type { OpenAILLMSettingsDelta, OpenAILLMSettingsInput, OpenAILLMSettingsValues, OpenAILLMResolvedSettings } from './settings';
export type { ChatStreamRequest } from './request';
