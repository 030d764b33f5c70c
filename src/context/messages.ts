/** A text part of a chat message. */
export interface TextContentPart {
  readonly type: 'text';
  /** The text. */
  readonly text: string;
}

/** An image part (OpenAI chat `image_url`): a URL or a `data:` URL with base64 data. */
export interface ImageContentPart {
  readonly type: 'image_url';
  /** The image and how closely the model should look at it. */
  readonly image_url: { readonly url: string; readonly detail?: 'low' | 'high' | 'auto' };
}

/**
 * A file part (a PDF, a spreadsheet, …): one of an uploaded file's id, a URL, or the file's data (a base64 `data:` URL).
 * Sent to the Responses API as `input_file`; Chat Completions takes `fileId` and `fileData` (not `fileUrl`).
 */
export interface FileContentPart {
  readonly type: 'file';
  /** An uploaded file's id (`file-…`). */
  readonly fileId?: string;
  /** A URL the API fetches the file from. */
  readonly fileUrl?: string;
  /** The file's content as a base64 `data:` URL, e.g. `data:application/pdf;base64,…`. */
  readonly fileData?: string;
  /** The file's name, shown to the model (needed with `fileData`). */
  readonly filename?: string;
}

/** A part of a user message's content. */
export type UserContentPart = TextContentPart | ImageContentPart | FileContentPart;

/** A function call the assistant made, in the OpenAI chat shape. */
export interface ChatFunctionToolCall {
  /** The call id; a `tool` message answers it with the same `tool_call_id`. */
  readonly id: string;
  readonly type: 'function';
  /** The function and its arguments as a JSON string. */
  readonly function: { readonly name: string; readonly arguments: string };
  /** The output item that made the call, when not the model itself (Responses API programmatic tool calling). */
  readonly caller?: Readonly<Record<string, unknown>>;
}

/** A custom tool call the assistant made (free-form input), in the OpenAI chat shape. */
export interface ChatCustomToolCall {
  /** The call id; a `tool` message answers it with the same `tool_call_id`. */
  readonly id: string;
  readonly type: 'custom';
  /** The custom tool and the raw text the model wrote for it. */
  readonly custom: { readonly name: string; readonly input: string };
}

/** A tool call the assistant made: a function's, or a custom tool's. */
export type ChatToolCall = ChatFunctionToolCall | ChatCustomToolCall;

/** An output or input item of the Responses API, kept as the API has it (the library reads only its `type`). */
export interface ResponseItemData {
  /** The item's type, e.g. `'mcp_approval_request'`, `'program'`, `'shell_call_output'`. */
  readonly type: string;
  /** The item's other fields, as the API names them. */
  readonly [field: string]: unknown;
}

/** A system prompt in the context. */
export interface SystemMessage {
  readonly role: 'system';
  /** The prompt text. */
  readonly content: string | readonly TextContentPart[];
}

/** A developer prompt (the newer name for a system prompt). */
export interface DeveloperMessage {
  readonly role: 'developer';
  /** The prompt text. */
  readonly content: string | readonly TextContentPart[];
}

/** Something the user said or showed. */
export interface UserMessage {
  readonly role: 'user';
  /** Text, or text and image parts. */
  readonly content: string | readonly UserContentPart[];
  /** An optional speaker name. */
  readonly name?: string;
}

/** A reasoning item of a response (Responses API), kept so later requests can send it back. */
export interface ReasoningItemData {
  readonly type: 'reasoning';
  /** The item's id. */
  readonly id: string;
  /** The reasoning summary parts. */
  readonly summary: readonly { readonly type: 'summary_text'; readonly text: string }[];
  /** The encrypted reasoning (requested with `include: ['reasoning.encrypted_content']`). */
  readonly encrypted_content?: string | null;
  /**
   * Who produced it (the service and the model, as the library writes it): encrypted reasoning is sent back only to
   * them, since another model or endpoint cannot read it (the API answers 400 `invalid_encrypted_content`).
   */
  readonly origin?: string;
}

/** Something the assistant said, or the function calls it made. */
export interface AssistantMessage {
  readonly role: 'assistant';
  /** The answer's text; null or absent when the message only carries tool calls. */
  readonly content?: string | readonly TextContentPart[] | null;
  /** The function calls of this turn. */
  readonly tool_calls?: readonly ChatToolCall[];
  /** The reasoning that led to this message (sent back before it, as the Responses API expects). */
  readonly reasoning?: readonly ReasoningItemData[];
  /**
   * Other output items of the response, sent back as they are after the reasoning (Responses API only): an MCP approval
   * request, a client-executed tool's call, a program that calls functions.
   */
  readonly items?: readonly ResponseItemData[];
  /**
   * `'incomplete'` for the partial text of a response that failed or was cut off (the user heard it): the Responses API
   * is sent it as its own output item with that status, so the model does not take it for a finished answer.
   */
  readonly status?: 'incomplete';
  /** The API's id of the output item the text came from (`msg_…`), when known: what the status is sent on. */
  readonly itemId?: string;
}

/** The result of one function call. */
export interface ToolMessage {
  readonly role: 'tool';
  /** The `id` of the call it answers. */
  readonly tool_call_id: string;
  /** The result as text (JSON for structured results). */
  readonly content: string | readonly TextContentPart[];
}

/**
 * An item the app sends the Responses API as it is: an MCP approval's answer, a client-executed tool's output. Other
 * providers leave it out.
 */
export interface ItemMessage {
  readonly role: 'item';
  /** The input item. */
  readonly item: ResponseItemData;
}

/** A message of the universal context, in the OpenAI chat shape (plus Responses API items). */
export type ChatMessage = SystemMessage | DeveloperMessage | UserMessage | AssistantMessage | ToolMessage | ItemMessage;
