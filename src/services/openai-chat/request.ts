import type {
  ChatCompletionCreateParamsBase,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { LLMContext } from '../../context/llm-context';
import { fileSource } from '../../context/file-parts';
import type { ChatMessage, FileContentPart } from '../../context/messages';
import type { HostedTool } from '../../context/tools';
import { ContextValidationError } from '../../errors/errors';
import { isGiven } from '../../llm/not-given';
import { toolChoiceSpecOf, toolSpecsOf } from '../../context/function-tools';
import type { OpenAILLMResolvedSettings } from './settings';

/** The body of a streaming `POST /chat/completions`: what this service's `openStream` receives. */
export type ChatStreamRequest = ChatCompletionCreateParamsStreaming;

/**
 * Builds the Chat Completions body from a context and settings (pure): the system instruction as the first message,
 * the context's chat-shaped messages as they are (reasoning kept for the Responses API is left out), function tools in
 * the chat shape, usage asked for in the stream.
 */
export function buildChatStreamRequest(context: LLMContext, settings: OpenAILLMResolvedSettings, serviceTier?: ChatCompletionCreateParamsBase['service_tier']): ChatStreamRequest {
  return { ...withExtra(buildBody(context, settings, serviceTier), settings), stream: true, stream_options: { include_usage: true } };
}

/** The same body for a one-shot, non-streaming request. */
export function buildChatRequest(context: LLMContext, settings: OpenAILLMResolvedSettings, serviceTier?: ChatCompletionCreateParamsBase['service_tier']): ChatCompletionCreateParamsNonStreaming {
  return { ...withExtra(buildBody(context, settings, serviceTier), settings), stream: false };
}

function buildBody(context: LLMContext, settings: OpenAILLMResolvedSettings, serviceTier: ChatCompletionCreateParamsBase['service_tier'] | undefined): ChatCompletionCreateParamsBase {
  const instruction = isGiven(settings.systemInstruction) ? settings.systemInstruction : null;
  const messages: ChatCompletionMessageParam[] = [...(instruction ? [{ role: 'system' as const, content: instruction }] : []), ...context.messages.flatMap(toChatMessage)];
  if (messages.length === 0) throw new ContextValidationError('messages', 'the context has no messages and no systemInstruction is set; add a message before running the LLM');
  const body: ChatCompletionCreateParamsBase = { model: settings.model, messages };
  if (isGiven(settings.temperature)) body.temperature = settings.temperature;
  if (isGiven(settings.topP)) body.top_p = settings.topP;
  if (isGiven(settings.frequencyPenalty)) body.frequency_penalty = settings.frequencyPenalty;
  if (isGiven(settings.presencePenalty)) body.presence_penalty = settings.presencePenalty;
  if (isGiven(settings.seed)) body.seed = settings.seed;
  if (isGiven(settings.maxCompletionTokens)) body.max_completion_tokens = settings.maxCompletionTokens;
  if (isGiven(settings.parallelToolCalls) && settings.parallelToolCalls !== null) body.parallel_tool_calls = settings.parallelToolCalls;
  const tools = context.tools === undefined ? [] : toChatTools(context);
  if (tools.length > 0) body.tools = tools;
  if (context.toolChoice !== undefined) body.tool_choice = toChatToolChoice(context);
  if (serviceTier !== undefined) body.service_tier = serviceTier;
  return body;
}

/** A context message as Chat Completions takes it: the chat shape it already has, without the Responses-only reasoning. */
function toChatMessage(message: ChatMessage, index: number): ChatCompletionMessageParam[] {
  // Items exist only in the Responses API.
  if (message.role === 'item') return [];
  if (message.role === 'user' && Array.isArray(message.content) && message.content.some((part) => part?.type === 'file')) {
    return [{ ...message, content: message.content.map((part, at) => (part?.type === 'file' ? chatFile(part, `messages[${index}].content[${at}]`) : part)) } as ChatCompletionMessageParam];
  }
  if (message.role !== 'assistant') return [message as ChatCompletionMessageParam];
  // Fields only the Responses API reads: Chat Completions would refuse them.
  const { reasoning: _reasoning, status: _status, itemId: _itemId, items: _items, ...rest } = message;
  // An assistant message that only carried reasoning (for the Responses API) says nothing here.
  if ((rest.content === null || rest.content === undefined || rest.content === '') && !rest.tool_calls?.length) return [];
  // A program's call (`caller`) is a Responses notion too.
  const toolCalls = rest.tool_calls?.map((call) => (call.type === 'function' && call.caller ? { id: call.id, type: call.type, function: call.function } : call));
  return [(toolCalls ? { ...rest, tool_calls: toolCalls } : rest) as ChatCompletionMessageParam];
}

/** A file part in the chat shape: by id or data (Chat Completions takes no file URL). */
function chatFile(part: FileContentPart, path: string): unknown {
  const { source, filename } = fileSource(part, path);
  if (source.field === 'file_url') throw new ContextValidationError(`${path}.fileUrl`, 'fileId or fileData: a file URL is only available with OpenAIResponsesLLMService');
  return { type: 'file', file: { [source.field]: source.value, ...(filename ? { filename } : {}) } };
}

/** Function tools in the chat shape; hosted tools exist only in the Responses API. */
function toChatTools(context: LLMContext): ChatCompletionTool[] {
  return toolSpecsOf(context.tools!).map((spec, index) => {
    if (spec.type === 'custom') return customTool(spec, index);
    if (spec.type !== 'function') throw new ContextValidationError(`tools[${index}].type`, `hosted tool "${spec.type}" is only available with OpenAIResponsesLLMService`);
    return { type: 'function', function: { name: spec.name, ...(spec.description ? { description: spec.description } : {}), parameters: spec.parameters, strict: spec.strict } };
  });
}

/** A custom tool (free-form input) in the chat shape. */
function customTool(spec: HostedTool, index: number): ChatCompletionTool {
  const { name, description, format } = spec as { name?: unknown; description?: unknown; format?: unknown };
  if (typeof name !== 'string' || !name) throw new ContextValidationError(`tools[${index}].name`, 'a custom tool needs a name');
  return { type: 'custom', custom: { name, ...(typeof description === 'string' ? { description } : {}), ...(format ? { format } : {}) } } as ChatCompletionTool;
}

function toChatToolChoice(context: LLMContext): ChatCompletionToolChoiceOption {
  const choice = toolChoiceSpecOf(context.toolChoice!);
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}
/** `extra` goes in over the modelled fields: fields we do not model, so the one unchecked place. */
function withExtra(body: ChatCompletionCreateParamsBase, settings: OpenAILLMResolvedSettings): ChatCompletionCreateParamsBase {
  return isGiven(settings.extra) ? ({ ...body, ...settings.extra } as ChatCompletionCreateParamsBase) : body;
}
