import type { ChatMessage, UserContentPart } from './messages';
import type { ContextTools, ToolChoice } from './tools';
import { shareClasses } from '../runtime/shared-classes';

/**
 * The universal conversation: OpenAI chat-shaped messages plus tools, shared by the aggregators and the service.
 * @example
 * const context = new LLMContext();
 * context.addUserMessage('What is the capital of France?');
 */
export class LLMContext {
  /** The conversation so far, in order; replaced or appended to, never edited in place. */
  private messageList: ChatMessage[];
  /** The tools offered to the model, as given (converted per request). */
  private toolList: ContextTools | undefined;
  /** The tool choice, as given; undefined lets the API decide. */
  private choice: ToolChoice | undefined;

  constructor(messages: readonly ChatMessage[] = [], tools?: ContextTools, toolChoice?: ToolChoice) {
    this.messageList = [...messages];
    this.toolList = tools;
    this.choice = toolChoice;
  }

  /** The messages, oldest first (a read-only view). */
  get messages(): readonly ChatMessage[] {
    return this.messageList;
  }

  /** The tools, as given. */
  get tools(): ContextTools | undefined {
    return this.toolList;
  }

  /** The tool choice, as given. */
  get toolChoice(): ToolChoice | undefined {
    return this.choice;
  }

  /** Appends one message. */
  addMessage(message: ChatMessage): void {
    this.messageList.push(message);
  }

  /** Appends messages in order. */
  addMessages(messages: readonly ChatMessage[]): void {
    this.messageList.push(...messages);
  }

  /** Replaces the whole conversation. */
  setMessages(messages: readonly ChatMessage[]): void {
    this.messageList = [...messages];
  }

  /** Appends a user message with text, or text and image parts. */
  addUserMessage(content: string | readonly UserContentPart[]): void {
    this.addMessage({ role: 'user', content });
  }

  /** Appends a user message showing an image (a URL or a `data:` URL), with optional text before it. */
  addImageMessage(imageUrl: string, text?: string, detail?: 'low' | 'high' | 'auto'): void {
    const image: UserContentPart = { type: 'image_url', image_url: detail ? { url: imageUrl, detail } : { url: imageUrl } };
    this.addUserMessage(text ? [{ type: 'text', text }, image] : [image]);
  }

  /** Sets (or with undefined, clears) the tools. */
  setTools(tools: ContextTools | undefined): void {
    this.toolList = tools;
  }

  /** Sets (or with undefined, clears) the tool choice. */
  setToolChoice(toolChoice: ToolChoice | undefined): void {
    this.choice = toolChoice;
  }

  /** A copy whose message list can change without touching this one. */
  copy(): LLMContext {
    return new LLMContext(this.messageList, this.toolList, this.choice);
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMContext });
