export * from './settings';
export * from './service';
export * from './service-events';
export type { OpenStream } from './http-stream';
export { sdkOpenStream } from './http-stream';
export type { ResponsesStreamRequest, RequestParts } from './request';
export { buildStreamRequest, buildNonStreamRequest } from './request';
export { toInputItems } from './input-items';
export { toResponsesTools, toResponsesToolChoice } from './tools';
export { emitFramesForEvent, framesFromEvent, isOutputEvent, tokenUsage } from './frames-from-events';
export { createStreamState } from './stream-state';
export type { ResponseStreamState, StreamedFunctionCall } from './stream-state';
export type {
  FunctionCallHandler,
  FunctionCallParams,
  FunctionCallResultProperties,
  RegisterFunctionOptions,
} from './function-calls';
export type { InferenceOptions, OpenResponse } from './inference';
export { outputTextOf, buildInferenceRequest } from './inference';
export { parserOpenStream } from './sse-stream';
export { isReasoningModel, defaultReasoningFor } from './reasoning';
export { ResponsesWebSocketTransport } from './websocket/ws-transport';
export { incrementalInput } from './websocket/incremental-input';
export type { LastResponse, IncrementalInput } from './websocket/incremental-input';
