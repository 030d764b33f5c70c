/** rx-responses: Pipecat's OpenAIResponsesLLMService for RxJS. */
export * from './frames';
export * from './context';
export * from './errors';
export * from './services/openai-responses';
