import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { ContextValidationError } from '../../errors/errors';
import { fileSource } from '../../context/file-parts';
import type { ChatMessage, ChatToolCall, ResponseItemData, TextContentPart, UserContentPart } from '../../context/messages';

/**
 * Converts the context's chat-shaped messages to Responses `input` items (pure). Encrypted reasoning is sent only back
 * to its `origin` (the service and model asking now, when given). Throws `ContextValidationError` naming the bad message.
 */
export function toInputItems(messages: readonly ChatMessage[], origin?: string): ResponseInputItem[] {
  const items: ResponseInputItem[] = [];
  messages.forEach((message, index) => appendItems(items, message, `messages[${index}]`, origin));
  return items;
}

function appendItems(items: ResponseInputItem[], message: ChatMessage, path: string, origin: string | undefined): void {
  if (message === null || typeof message !== 'object') throw new ContextValidationError(path, 'a message must be an object');
  switch (message.role) {
    case 'system':
    case 'developer':
      items.push({ type: 'message', role: message.role, content: textOf(message.content, `${path}.content`) });
      return;
    case 'user':
      items.push({ type: 'message', role: 'user', content: userContent(message.content, `${path}.content`) });
      return;
    case 'assistant': {
      // With store: false the server keeps nothing: a reasoning item is only meaningful with its encrypted content (sent
      // without it, the live API answers 404 "Item with id 'rs_…' not found"), so one without it is left out.
      for (const item of message.reasoning ?? []) {
        // Another model's or endpoint's encrypted reasoning cannot be read here (the visible text stays).
        if (!item.encrypted_content || (origin !== undefined && item.origin !== undefined && item.origin !== origin)) continue;
        items.push({ type: 'reasoning', id: item.id, summary: item.summary.map((part) => ({ type: 'summary_text', text: part.text })), encrypted_content: item.encrypted_content });
      }
      (message.items ?? []).forEach((item, itemIndex) => items.push(checkedItem(item, `${path}.items[${itemIndex}]`)));
      const text = message.content == null ? '' : textOf(message.content, `${path}.content`);
      // A partial answer goes as the output item it was, marked incomplete (as the API marks its own), when its id is known.
      if (text && message.status === 'incomplete' && message.itemId) {
        items.push({ type: 'message', id: message.itemId, role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text, annotations: [] }] });
      } else if (text) items.push({ type: 'message', role: 'assistant', content: text });
      (message.tool_calls ?? []).forEach((call, callIndex) => items.push(callItem(call, `${path}.tool_calls[${callIndex}]`)));
      return;
    }
    case 'tool': {
      if (!message.tool_call_id) throw new ContextValidationError(`${path}.tool_call_id`, 'a tool message needs the id of the call it answers');
      const output = textOf(message.content, `${path}.content`);
      // A custom tool's call is answered with its own output item; the call is found among the items before.
      const custom = items.some((item) => item.type === 'custom_tool_call' && item.call_id === message.tool_call_id);
      items.push({ type: custom ? 'custom_tool_call_output' : 'function_call_output', call_id: message.tool_call_id, output });
      return;
    }
    case 'item':
      items.push(checkedItem(message.item, `${path}.item`));
      return;
    default:
      throw new ContextValidationError(
        `${path}.role`,
        `unknown role ${JSON.stringify((message as { role?: unknown }).role)}; allowed: system, developer, user, assistant, tool, item`,
      );
  }
}

/** A tool call as its Responses item: a function's (with its caller, when a program made it) or a custom tool's. */
function callItem(call: ChatToolCall, path: string): ResponseInputItem {
  if (call?.type === 'custom') {
    if (!call.id || typeof call.custom?.name !== 'string' || typeof call.custom.input !== 'string') throw new ContextValidationError(path, 'a custom tool call needs an id, custom.name and custom.input');
    return { type: 'custom_tool_call', call_id: call.id, name: call.custom.name, input: call.custom.input };
  }
  if (!call?.id || !call.function?.name) throw new ContextValidationError(path, 'a tool call needs an id and function.name');
  const item = { type: 'function_call' as const, call_id: call.id, name: call.function.name, arguments: call.function.arguments ?? '{}' };
  return (call.caller ? { ...item, caller: call.caller } : item) as ResponseInputItem;
}

/** An item kept as the API has it: it must at least say its type. */
function checkedItem(item: ResponseItemData, path: string): ResponseInputItem {
  if (item === null || typeof item !== 'object' || typeof item.type !== 'string' || !item.type) throw new ContextValidationError(path, 'an item must be an object with a string type');
  return item as unknown as ResponseInputItem;
}

function textOf(content: string | readonly TextContentPart[], path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new ContextValidationError(path, 'content must be a string or an array of text parts');
  return content
    .map((part, index) => {
      if (part?.type !== 'text' || typeof part.text !== 'string') throw new ContextValidationError(`${path}[${index}]`, 'expected a text part');
      return part.text;
    })
    .join('');
}

function userContent(content: string | readonly UserContentPart[], path: string) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw new ContextValidationError(path, 'content must be a string or an array of text, image_url and file parts');
  return content.map((part: UserContentPart, index) => {
    if (part?.type === 'text' && typeof part.text === 'string') return { type: 'input_text' as const, text: part.text };
    if (part?.type === 'image_url' && typeof part.image_url?.url === 'string') {
      return { type: 'input_image' as const, image_url: part.image_url.url, detail: part.image_url.detail ?? ('auto' as const) };
    }
    if (part?.type === 'file') {
      const { source, filename } = fileSource(part, `${path}[${index}]`);
      return { type: 'input_file' as const, [source.field]: source.value, ...(filename ? { filename } : {}) };
    }
    throw new ContextValidationError(`${path}[${index}]`, 'expected a text part, an image_url part with a url, or a file part');
  });
}
