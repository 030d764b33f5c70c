import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { ContextValidationError } from '../../errors/errors';
import type { ChatMessage, TextContentPart, UserContentPart } from '../../context/messages';

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
      const text = message.content == null ? '' : textOf(message.content, `${path}.content`);
      // A partial answer goes as the output item it was, marked incomplete (as the API marks its own), when its id is known.
      if (text && message.status === 'incomplete' && message.itemId) {
        items.push({ type: 'message', id: message.itemId, role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text, annotations: [] }] });
      } else if (text) items.push({ type: 'message', role: 'assistant', content: text });
      (message.tool_calls ?? []).forEach((call, callIndex) => {
        const callPath = `${path}.tool_calls[${callIndex}]`;
        if (!call?.id || !call.function?.name) throw new ContextValidationError(callPath, 'a tool call needs an id and function.name');
        items.push({ type: 'function_call', call_id: call.id, name: call.function.name, arguments: call.function.arguments ?? '{}' });
      });
      return;
    }
    case 'tool':
      if (!message.tool_call_id) throw new ContextValidationError(`${path}.tool_call_id`, 'a tool message needs the id of the call it answers');
      items.push({ type: 'function_call_output', call_id: message.tool_call_id, output: textOf(message.content, `${path}.content`) });
      return;
    default:
      throw new ContextValidationError(
        `${path}.role`,
        `unknown role ${JSON.stringify((message as { role?: unknown }).role)}; allowed: system, developer, user, assistant, tool`,
      );
  }
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
  if (!Array.isArray(content)) throw new ContextValidationError(path, 'content must be a string or an array of text and image_url parts');
  return content.map((part: UserContentPart, index) => {
    if (part?.type === 'text' && typeof part.text === 'string') return { type: 'input_text' as const, text: part.text };
    if (part?.type === 'image_url' && typeof part.image_url?.url === 'string') {
      return { type: 'input_image' as const, image_url: part.image_url.url, detail: part.image_url.detail ?? ('auto' as const) };
    }
    throw new ContextValidationError(`${path}[${index}]`, 'expected a text part or an image_url part with a url');
  });
}
