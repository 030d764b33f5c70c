/** rx-responses/testing: fake servers, event builders and a scripted `openStream`, for your own pipeline's tests. */
export { ResponseScript, textResponse, functionCallResponse } from './event-builders';
export type { ScriptedCustomToolCall, ScriptedFunctionCall, ScriptedHostedToolOptions, ScriptedTextOptions, ScriptedUsage } from './event-builders';
export { FakeResponsesServer } from './fake-server';
export type { FakeServerOptions } from './fake-server';
export type { FakeReply, FakeReplyHandler, RecordedRequest } from './fake-reply';
export { answerAfter } from './answer-after';
export { fakeModel } from './fake-model';
export type { FakeModelOptions } from './fake-model';
export { scriptedOpenStream } from './scripted-open-stream';
export type { ScriptedOpenStream } from './scripted-open-stream';
export { recordingOpenStream } from './recording-open-stream';
export type { Recording, RecordingOptions } from './recording-open-stream';
