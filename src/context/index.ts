export type { ChatMessage } from './messages';
export { FunctionSchema, ToolsSchema } from './tools';
export type { ContextTools, HostedTool, ToolChoice, ToolDefinition } from './tools';
export type { AnySchema, SchemaOutput } from './schemas';
export { LLMContext } from './llm-context';
