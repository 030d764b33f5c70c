import { FrameBase } from './frame-base';

/** Opens one LLM response; an `LLMFullResponseEndFrame` always follows, also after a failure or a cancel. */
export class LLMFullResponseStartFrame extends FrameBase {
  readonly type = 'LLMFullResponseStartFrame' as const;
}

/** Closes the response opened by the last `LLMFullResponseStartFrame`. */
export class LLMFullResponseEndFrame extends FrameBase {
  readonly type = 'LLMFullResponseEndFrame' as const;
}

/** One streamed text delta of the model's answer. */
export class LLMTextFrame extends FrameBase {
  readonly type = 'LLMTextFrame' as const;
  /** The delta, exactly as the API sent it. */
  readonly text: string;
  constructor(fields: { text: string }) {
    super();
    this.text = fields.text;
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
