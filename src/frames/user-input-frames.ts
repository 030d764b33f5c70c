import { FrameBase } from './frame-base';
import { shareClasses } from '../runtime/shared-classes';

/** A transcription still in progress: the user aggregator folds it into the final `TranscriptionFrame`. */
export class InterimTranscriptionFrame extends FrameBase {
  readonly type = 'InterimTranscriptionFrame' as const;
  /** What has been recognised so far. */
  readonly text: string;
  /** Who is speaking, when the transport knows. */
  readonly userId: string;
  constructor(fields: { text: string; userId?: string }) {
    super();
    this.text = fields.text;
    this.userId = fields.userId ?? '';
  }
}

/** The user started speaking (from a VAD or transport): the user aggregator gathers input until the user stops. */
export class UserStartedSpeakingFrame extends FrameBase {
  readonly type = 'UserStartedSpeakingFrame' as const;
}

/** The user stopped speaking: the user aggregator turns what it gathered into one user message. */
export class UserStoppedSpeakingFrame extends FrameBase {
  readonly type = 'UserStoppedSpeakingFrame' as const;
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ InterimTranscriptionFrame, UserStartedSpeakingFrame, UserStoppedSpeakingFrame });
