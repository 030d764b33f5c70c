import { FrameBase } from './frame-base';
import { shareClasses } from '../runtime/shared-classes';

/** One function call the model asked for. */
export interface FunctionCallFromLLM {
  /** The function's name. */
  readonly functionName: string;
  /** The call id (`call_id` in the Responses API) that pairs the call with its result. */
  readonly toolCallId: string;
  /** The parsed arguments (an empty object when the model sent none). */
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** The model asked for these calls; handlers are about to run. */
export class FunctionCallsStartedFrame extends FrameBase {
  readonly type = 'FunctionCallsStartedFrame' as const;
  /** Every call of the response, in output order. */
  readonly functionCalls: readonly FunctionCallFromLLM[];
  constructor(fields: { functionCalls: readonly FunctionCallFromLLM[] }) {
    super();
    this.functionCalls = fields.functionCalls;
  }
}

/** One handler started. */
export class FunctionCallInProgressFrame extends FrameBase {
  readonly type = 'FunctionCallInProgressFrame' as const;
  /** The function's name. */
  readonly functionName: string;
  /** The call id. */
  readonly toolCallId: string;
  /** The parsed arguments. */
  readonly arguments: Readonly<Record<string, unknown>>;
  constructor(fields: { functionName: string; toolCallId: string; arguments: Readonly<Record<string, unknown>> }) {
    super();
    this.functionName = fields.functionName;
    this.toolCallId = fields.toolCallId;
    this.arguments = fields.arguments;
  }
}

/** One handler answered; `result` is what the model is sent (as JSON when not a string), or progress when not `final`. */
export class FunctionCallResultFrame extends FrameBase {
  readonly type = 'FunctionCallResultFrame' as const;
  /** The function's name. */
  readonly functionName: string;
  /** The call id. */
  readonly toolCallId: string;
  /** The parsed arguments. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The handler's result. */
  readonly result: unknown;
  /** False for an intermediate result (progress of a running call); true for the answer the model reads. */
  readonly final: boolean;
  constructor(fields: {
    functionName: string;
    toolCallId: string;
    arguments: Readonly<Record<string, unknown>>;
    result: unknown;
    final?: boolean;
  }) {
    super();
    this.functionName = fields.functionName;
    this.toolCallId = fields.toolCallId;
    this.arguments = fields.arguments;
    this.result = fields.result;
    this.final = fields.final ?? true;
  }
}

/** A running handler was cancelled (an interruption, a newer context, a timeout); its result will not come. */
export class FunctionCallCancelFrame extends FrameBase {
  readonly type = 'FunctionCallCancelFrame' as const;
  /** The function's name. */
  readonly functionName: string;
  /** The call id. */
  readonly toolCallId: string;
  constructor(fields: { functionName: string; toolCallId: string }) {
    super();
    this.functionName = fields.functionName;
    this.toolCallId = fields.toolCallId;
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ FunctionCallsStartedFrame, FunctionCallInProgressFrame, FunctionCallResultFrame, FunctionCallCancelFrame });
