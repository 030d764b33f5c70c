export * from './messages';
export * from './tools';
export * from './llm-context';
