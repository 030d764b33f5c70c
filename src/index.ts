/** rx-responses: Pipecat's OpenAIResponsesLLMService for RxJS. */
export * from './frames';
export * from './context';
export * from './errors';
export * from './aggregators';
export * from './pipeline';
export * from './llm';
export type { FrameSink } from './operators/emit-each';
export * from './services/openai-responses';
export type { OpenAIClientOptions } from './services/openai';
export * from './services/openai-chat';
