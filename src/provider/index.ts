/**
 * rx-responses/provider: what writing a provider (a service for another API) takes, and the detailed shapes behind the
 * root's types. An app that only runs pipelines needs none of it. See docs/ARCHITECTURE.md, "A new provider".
 */
export { LLMService } from '../llm/llm-service';
export type { LLMProvider, FrameSink } from '../llm/provider';
export type { RecordedItem, ResponseRecord, StreamedFunctionCall } from '../llm/response-record';
export type { LLMUsageMetricsData, ProcessingMetricsData, TTFATMetricsData, TTFBMetricsData } from '../frames/metrics-data';
export type { OpenResponse } from '../services/openai-responses/inference';
export type { OpenChatCompletion } from '../services/openai-chat/options';
export type { LLMServiceOptions } from '../llm/service-options';
export type { SettingsWarning } from '../llm/service-settings';
export { defineSettings, LLM_SETTING_RULES } from '../llm/settings';
export type { LLMSettingsValues, ResolvedSettingsOf, SettingsDelta, SettingsInput, SettingsModel } from '../llm/settings';
export type { FieldRule, FieldRules } from '../runtime/validation';
export type { SpanAttributeValue, SpanLike } from '../llm/tracing';
export type { SwitchableService } from '../llm/switcher';
export type { ServiceEventArgs, ServiceEventHandler } from '../llm/events';
export { parserOpenStream } from '../services/openai-responses/sse-stream';
export type { ResponsesStreamRequest, ServiceTier } from '../services/openai-responses/request';
export type { OpenAIResponsesLLMSettingsDelta, OpenAIResponsesLLMSettingsValues, ReasoningSettings, ResolvedSettings } from '../services/openai-responses/settings';
export type { WebSocketLike } from '../services/openai-responses/websocket/platform-socket';
export type { ChatStreamRequest } from '../services/openai-chat/request';
export type { OpenAILLMResolvedSettings, OpenAILLMSettingsDelta, OpenAILLMSettingsValues } from '../services/openai-chat/settings';
export type { OpenAIClientOptions } from '../services/openai/client';
export type {
  AssistantMessage,
  ChatCustomToolCall,
  ChatFunctionToolCall,
  ChatToolCall,
  DeveloperMessage,
  FileContentPart,
  ImageContentPart,
  ItemMessage,
  ReasoningItemData,
  ResponseItemData,
  SystemMessage,
  TextContentPart,
  ToolMessage,
  UserContentPart,
  UserMessage,
} from '../context/messages';
export type { ChatFunctionTool, JsonSchema, ResponsesFunctionTool, SchemaFunctionTool, ZodFunctionTool } from '../context/tools';
export type { StandardJsonSchema, StandardJsonSchemaConverter, StandardSchemaIssue, StandardSchemaResult } from '../context/schemas';
