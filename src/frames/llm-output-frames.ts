import { FrameBase } from './frame-base';
import { shareClasses } from '../runtime/shared-classes';

/** Opens one LLM response; an `LLMFullResponseEndFrame` always follows, also after a failure or a cancel. */
export class LLMFullResponseStartFrame extends FrameBase {
  readonly type = 'LLMFullResponseStartFrame' as const;
}

/** Closes the response opened by the last `LLMFullResponseStartFrame`. */
export class LLMFullResponseEndFrame extends FrameBase {
  readonly type = 'LLMFullResponseEndFrame' as const;
  /**
   * Whether the LLM service writes this response's text into the context itself (a response that asked for function
   * calls: its text, reasoning and calls go in together, in the model's order, before the follow-up request); the
   * assistant aggregator then leaves it, so nothing is written twice.
   */
  readonly textInContext: boolean;
  /**
   * Whether the response failed or was cut off (an interruption, a newer context): its text is partial. The assistant
   * aggregator keeps it (the user heard it) marked incomplete, so the model does not take it for a finished answer.
   */
  readonly incomplete: boolean;
  /** The API's id of the message item being streamed when the response ended (the Responses API's `msg_…`), if any. */
  readonly itemId: string | undefined;
  constructor(fields: { textInContext?: boolean; incomplete?: boolean; itemId?: string | undefined } = {}) {
    super();
    this.textInContext = fields.textInContext ?? false;
    this.incomplete = fields.incomplete ?? false;
    this.itemId = fields.itemId;
  }
}

/** Which part of an answer a message is, where newer models say so: thinking aloud before tools, or the final answer. */
export type MessagePhase = 'commentary' | 'final_answer';

/** One streamed text delta of the model's answer. */
export class LLMTextFrame extends FrameBase {
  readonly type = 'LLMTextFrame' as const;
  /** The delta, exactly as the API sent it. */
  readonly text: string;
  /** The message's phase, when the API gives one (newer models); undefined otherwise. */
  readonly phase: MessagePhase | undefined;
  constructor(fields: { text: string; phase?: MessagePhase | undefined }) {
    super();
    this.text = fields.text;
    this.phase = fields.phase;
  }
}

/** The model refused; `text` is the whole refusal, which also streamed as `LLMTextFrame`s (it is the user's answer). */
export class LLMRefusalFrame extends FrameBase {
  readonly type = 'LLMRefusalFrame' as const;
  /** The refusal, whole. */
  readonly text: string;
  constructor(fields: { text: string }) {
    super();
    this.text = fields.text;
  }
}

/** A citation or file reference in the Responses API's shape (`url_citation`, `file_citation`, `container_file_citation`, `file_path`). */
export type Annotation = { readonly type: string } & Readonly<Record<string, unknown>>;

/** A citation or file reference attached to the answer text. */
export class LLMAnnotationFrame extends FrameBase {
  readonly type = 'LLMAnnotationFrame' as const;
  /** The annotation object as the API sent it. */
  readonly annotation: Annotation;
  constructor(fields: { annotation: Annotation }) {
    super();
    this.annotation = fields.annotation;
  }
}

/** A hosted tool (web search, file search, code interpreter, MCP, image generation) started, progressed or finished. */
export class HostedToolCallFrame extends FrameBase {
  readonly type = 'HostedToolCallFrame' as const;
  /** The output item's type, e.g. `'web_search_call'`. */
  readonly tool: string;
  /** The output item's id. */
  readonly itemId: string;
  /** Where it stands, as the API says: `in_progress`, `searching`, `interpreting`, `generating`, `completed`, `failed`, … */
  readonly status: string;
  /** The whole output item, once it is done. */
  readonly item: Readonly<Record<string, unknown>> | undefined;
  constructor(fields: { tool: string; itemId: string; status: string; item?: Readonly<Record<string, unknown>> }) {
    super();
    this.tool = fields.tool;
    this.itemId = fields.itemId;
    this.status = fields.status;
    this.item = fields.item;
  }
}

/** Opens a reasoning summary. */
export class LLMThoughtStartFrame extends FrameBase {
  readonly type = 'LLMThoughtStartFrame' as const;
}

/** One streamed delta of a reasoning summary. */
export class LLMThoughtTextFrame extends FrameBase {
  readonly type = 'LLMThoughtTextFrame' as const;
  /** The summary delta. */
  readonly text: string;
  constructor(fields: { text: string }) {
    super();
    this.text = fields.text;
  }
}

/** Closes a reasoning summary. */
export class LLMThoughtEndFrame extends FrameBase {
  readonly type = 'LLMThoughtEndFrame' as const;
}

/** Input text from a transport (speech to text): the user aggregator turns it into a user message. */
export class TranscriptionFrame extends FrameBase {
  readonly type = 'TranscriptionFrame' as const;
  /** What the user said. */
  readonly text: string;
  /** Who said it, when the transport knows. */
  readonly userId: string;
  /** When it was said (ISO 8601), when the transport knows. */
  readonly timestamp: string;
  constructor(fields: { text: string; userId?: string; timestamp?: string }) {
    super();
    this.text = fields.text;
    this.userId = fields.userId ?? '';
    this.timestamp = fields.timestamp ?? '';
  }
}

/** Plain text in the pipeline, e.g. typed user input. */
export class TextFrame extends FrameBase {
  readonly type = 'TextFrame' as const;
  /** The text. */
  readonly text: string;
  constructor(fields: { text: string }) {
    super();
    this.text = fields.text;
  }
}

/** Something failed in a stage; `error` is a readable message that never holds a secret. */
export class ErrorFrame extends FrameBase {
  readonly type = 'ErrorFrame' as const;
  /** What went wrong, for people and logs. */
  readonly error: string;
  /** True when the stage cannot go on; the LLM service's errors are never fatal. */
  readonly fatal: boolean;
  /** The typed error behind the message, when there is one (`instanceof` it). */
  readonly exception: Error | undefined;
  constructor(fields: { error: string; fatal?: boolean; exception?: Error }) {
    super();
    this.error = fields.error;
    this.fatal = fields.fatal ?? false;
    this.exception = fields.exception;
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMFullResponseStartFrame, LLMFullResponseEndFrame, LLMTextFrame, LLMRefusalFrame, LLMAnnotationFrame, HostedToolCallFrame, LLMThoughtStartFrame, LLMThoughtTextFrame, LLMThoughtEndFrame, TranscriptionFrame, TextFrame, ErrorFrame });
