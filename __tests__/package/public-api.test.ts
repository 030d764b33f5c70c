/**
 * The public surface, pinned: every runtime name the root and `rx-responses/testing` export. Growing (or shrinking) the
 * API must be a conscious change to this list; internals stay importable only from their modules, for our own tests.
 */
import * as root from '../../src';
import * as testing from '../../src/testing';

const ROOT_EXPORTS = [
  // Frames (../shared/API.md, Frames)
  'ErrorFrame',
  'FrameBase',
  'FunctionCallCancelFrame',
  'FunctionCallInProgressFrame',
  'FunctionCallResultFrame',
  'FunctionCallsStartedFrame',
  'HostedToolCallFrame',
  'InterimTranscriptionFrame',
  'InterruptionFrame',
  'LLMAnnotationFrame',
  'LLMContextFrame',
  'LLMFullResponseEndFrame',
  'LLMFullResponseStartFrame',
  'LLMMessagesAppendFrame',
  'LLMMessagesUpdateFrame',
  'LLMRefusalFrame',
  'LLMRunFrame',
  'LLMSetToolChoiceFrame',
  'LLMSetToolsFrame',
  'LLMTextFrame',
  'LLMThoughtEndFrame',
  'LLMThoughtStartFrame',
  'LLMThoughtTextFrame',
  'LLMUpdateSettingsFrame',
  'MetricsFrame',
  'TextFrame',
  'TranscriptionFrame',
  'UserStartedSpeakingFrame',
  'UserStoppedSpeakingFrame',
  'ManuallySwitchServiceFrame',
  // Context, aggregators, pipeline
  'FunctionSchema',
  'LLMContext',
  'LLMContextAggregatorPair',
  'PipelineTask',
  'ToolsSchema',
  'pipeline',
  'defineTool',
  // Settings and services
  'LLMService',
  'LLMSwitcher',
  'NOT_GIVEN',
  'OpenAILLMService',
  'OpenAILLMSettings',
  'OpenAIResponsesLLMService',
  'OpenAIResponsesLLMSettings',
  // The I/O seams' default implementations
  'parserOpenStream',
  'sdkOpenStream',
  // Errors
  'ContextValidationError',
  'FunctionCallError',
  'FunctionCallLimitError',
  'FrameValidationError',
  'LLMIncompleteError',
  'LLMRequestError',
  'LLMStreamError',
  'LLMTimeoutError',
  'RxResponsesError',
  'SettingsValidationError',
  'StructuredOutputError',
];

const TESTING_EXPORTS = ['FakeResponsesServer', 'ResponseScript', 'fakeModel', 'functionCallResponse', 'recordingOpenStream', 'scriptedOpenStream', 'textResponse'];

describe('the public surface', () => {
  it('the root exports exactly the names of the contract, the I/O seams and the error classes', () => {
    expect(Object.keys(root).sort()).toEqual([...ROOT_EXPORTS].sort());
  });

  it('rx-responses/testing exports exactly the testing kit', () => {
    expect(Object.keys(testing).sort()).toEqual([...TESTING_EXPORTS].sort());
  });

  it('every exported class and function is defined (no export of an undefined binding)', () => {
    for (const [name, value] of [...Object.entries(root), ...Object.entries(testing)]) expect([name, value]).toEqual([name, expect.anything()]);
  });
});
