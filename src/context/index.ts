export type {
  AssistantMessage,
  ChatMessage,
  ChatToolCall,
  DeveloperMessage,
  ImageContentPart,
  ReasoningItemData,
  SystemMessage,
  TextContentPart,
  ToolMessage,
  UserContentPart,
  UserMessage,
} from './messages';
export { FunctionSchema, ToolsSchema } from './tools';
export type { ChatFunctionTool, ContextTools, HostedTool, JsonSchema, ResponsesFunctionTool, SchemaFunctionTool, ToolChoice, ToolDefinition, ZodFunctionTool } from './tools';
export type { AnySchema, SchemaOutput, StandardJsonSchema, StandardJsonSchemaConverter, StandardSchemaIssue, StandardSchemaResult } from './schemas';
export { LLMContext } from './llm-context';
