export type { OpenAIClientOptions } from './client';
