/** rx-responses: Pipecat's OpenAIResponsesLLMService for RxJS. */
export * from './frames';
export * from './context';
export * from './errors';
export * from './aggregators';
export * from './pipeline';
export * from './llm';

export * from './services/openai-responses';
export * from './services/openai-chat';
