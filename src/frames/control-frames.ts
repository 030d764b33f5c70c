import type { LLMContext } from '../context/llm-context';
import type { ChatMessage } from '../context/messages';
import type { ContextTools, ToolChoice } from '../context/tools';
import { FrameBase } from './frame-base';
import { shareClasses } from '../runtime/shared-classes';

/** "Run the LLM on this context": emitted by the user aggregator or the app. */
export class LLMContextFrame extends FrameBase {
  readonly type = 'LLMContextFrame' as const;
  /** The conversation to run; the service reads it when the request is built. */
  readonly context: LLMContext;
  constructor(fields: { context: LLMContext }) {
    super();
    this.context = fields.context;
  }
}

/** Append messages to the service's current context and, with `runLlm`, run the model on it. */
export class LLMMessagesAppendFrame extends FrameBase {
  readonly type = 'LLMMessagesAppendFrame' as const;
  /** Messages in the OpenAI chat shape, appended in order. */
  readonly messages: readonly ChatMessage[];
  /** Whether to run the model once the messages are appended (default false). */
  readonly runLlm: boolean;
  constructor(fields: { messages: readonly ChatMessage[]; runLlm?: boolean }) {
    super();
    this.messages = fields.messages;
    this.runLlm = fields.runLlm ?? false;
  }
}

/**
 * A settings delta as a frame carries it, whatever the service: made with a service's `Settings(...)` function (e.g.
 * `OpenAIResponsesLLMSettings({...})`), or a plain object that the service validates when the frame arrives.
 */
export type LLMSettingsDelta = Readonly<Record<string, unknown>>;

/** Change model settings mid-conversation; only the fields the delta sets change. */
export class LLMUpdateSettingsFrame extends FrameBase {
  readonly type = 'LLMUpdateSettingsFrame' as const;
  /** Made with the service's `Settings({...})`; a plain object is validated when it arrives. */
  readonly delta: LLMSettingsDelta;
  constructor(fields: { delta: LLMSettingsDelta }) {
    super();
    this.delta = fields.delta;
  }
}

/** The user barged in: cancel whatever is in flight; every stage forwards it. */
export class InterruptionFrame extends FrameBase {
  readonly type = 'InterruptionFrame' as const;
}

/** Run the model on the service's current context (Pipecat's `LLMRunFrame`), e.g. to let the bot speak first. */
export class LLMRunFrame extends FrameBase {
  readonly type = 'LLMRunFrame' as const;
}

/** Replace the service's current context's messages and, with `runLlm`, run the model on it. */
export class LLMMessagesUpdateFrame extends FrameBase {
  readonly type = 'LLMMessagesUpdateFrame' as const;
  /** The new conversation, in the OpenAI chat shape. */
  readonly messages: readonly ChatMessage[];
  /** Whether to run the model once the messages are set (default false). */
  readonly runLlm: boolean;
  constructor(fields: { messages: readonly ChatMessage[]; runLlm?: boolean }) {
    super();
    this.messages = fields.messages;
    this.runLlm = fields.runLlm ?? false;
  }
}

/** Replace the service's current context's tools (any accepted tool form; undefined clears them). */
export class LLMSetToolsFrame extends FrameBase {
  readonly type = 'LLMSetToolsFrame' as const;
  /** The tools to offer from now on. */
  readonly tools: ContextTools | undefined;
  constructor(fields: { tools: ContextTools | undefined }) {
    super();
    this.tools = fields.tools;
  }
}

/** Replace the service's current context's tool choice (undefined lets the API decide). */
export class LLMSetToolChoiceFrame extends FrameBase {
  readonly type = 'LLMSetToolChoiceFrame' as const;
  /** Which tool the model may or must call. */
  readonly toolChoice: ToolChoice | undefined;
  constructor(fields: { toolChoice: ToolChoice | undefined }) {
    super();
    this.toolChoice = fields.toolChoice;
  }
}

/** Switch an `LLMSwitcher` to one of its services, in order with the other frames. */
export class ManuallySwitchServiceFrame extends FrameBase {
  readonly type = 'ManuallySwitchServiceFrame' as const;
  /** The service to make active (one of the switcher's). */
  readonly service: object;
  constructor(fields: { service: object }) {
    super();
    this.service = fields.service;
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMContextFrame, LLMMessagesAppendFrame, LLMUpdateSettingsFrame, InterruptionFrame, LLMRunFrame, LLMMessagesUpdateFrame, LLMSetToolsFrame, LLMSetToolChoiceFrame, ManuallySwitchServiceFrame });
