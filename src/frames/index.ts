import type {
  InterruptionFrame,
  LLMContextFrame,
  LLMMessagesAppendFrame,
  LLMMessagesUpdateFrame,
  LLMRunFrame,
  LLMSetToolChoiceFrame,
  LLMSetToolsFrame,
  LLMUpdateSettingsFrame,
  ManuallySwitchServiceFrame,
} from './control-frames';
import type { FunctionCallCancelFrame, FunctionCallInProgressFrame, FunctionCallResultFrame, FunctionCallsStartedFrame } from './function-call-frames';
import type {
  ErrorFrame,
  HostedToolCallFrame,
  LLMAnnotationFrame,
  LLMFullResponseEndFrame,
  LLMFullResponseStartFrame,
  LLMRefusalFrame,
  LLMTextFrame,
  LLMThoughtEndFrame,
  LLMThoughtStartFrame,
  LLMThoughtTextFrame,
  TextFrame,
  TranscriptionFrame,
} from './llm-output-frames';
import type { McpApprovalRequestFrame, McpApprovalResponseFrame } from './item-frames';
import type { MetricsFrame } from './metrics-frames';
import type { InterimTranscriptionFrame, UserStartedSpeakingFrame, UserStoppedSpeakingFrame } from './user-input-frames';

export * from './frame-base';
export * from './control-frames';
export * from './llm-output-frames';
export * from './function-call-frames';
export * from './item-frames';
export * from './metrics-frames';
export * from './user-input-frames';

/** Every frame this library defines; `switch (frame.type)` narrows it. */
export type Frame =
  | McpApprovalRequestFrame
  | McpApprovalResponseFrame
  | LLMContextFrame
  | LLMMessagesAppendFrame
  | LLMMessagesUpdateFrame
  | LLMRunFrame
  | LLMSetToolsFrame
  | LLMSetToolChoiceFrame
  | LLMUpdateSettingsFrame
  | ManuallySwitchServiceFrame
  | InterruptionFrame
  | LLMFullResponseStartFrame
  | LLMFullResponseEndFrame
  | LLMTextFrame
  | LLMRefusalFrame
  | LLMAnnotationFrame
  | HostedToolCallFrame
  | LLMThoughtStartFrame
  | LLMThoughtTextFrame
  | LLMThoughtEndFrame
  | FunctionCallsStartedFrame
  | FunctionCallInProgressFrame
  | FunctionCallResultFrame
  | FunctionCallCancelFrame
  | MetricsFrame
  | ErrorFrame
  | TranscriptionFrame
  | InterimTranscriptionFrame
  | UserStartedSpeakingFrame
  | UserStoppedSpeakingFrame
  | TextFrame;

