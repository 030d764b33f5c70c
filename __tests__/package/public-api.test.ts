/**
 * The public surface, pinned: every runtime name the root, `rx-responses/testing` and `rx-responses/provider` export.
 * Growing (or shrinking) the API must be a conscious change to this list; internals stay importable only from their
 * modules, for our own tests. The root is what a user of a frame pipeline needs, at most 100 names types included;
 * what writing a provider takes lives in `rx-responses/provider`.
 */
import { join } from 'node:path';
import ts from 'typescript';
import * as root from '../../src';
import * as provider from '../../src/provider';
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
  'McpApprovalRequestFrame',
  'McpApprovalResponseFrame',
  // Context, aggregators, pipeline
  'FunctionSchema',
  'LLMContext',
  'LLMContextAggregatorPair',
  'PipelineTask',
  'ToolsSchema',
  'pipeline',
  'defineTool',
  // Settings and services
  'LLMSwitcher',
  'NOT_GIVEN',
  'OpenAILLMService',
  'OpenAILLMSettings',
  'OpenAIResponsesLLMService',
  'OpenAIResponsesLLMSettings',
  // Errors
  'ContextValidationError',
  'FunctionCallError',
  'FunctionCallLimitError',
  'FrameValidationError',
  'LLMEmptyResponseError',
  'LLMIncompleteError',
  'LLMRequestError',
  'LLMStreamError',
  'LLMTimeoutError',
  'RxResponsesError',
  'SettingsValidationError',
  'StructuredOutputError',
  'UnhandledOutputItemError',
];

const PROVIDER_EXPORTS = ['LLMService', 'LLM_SETTING_RULES', 'defineSettings', 'parserOpenStream'];

/** Every name a module exports, types included, as the compiler sees it. */
function namesOf(entry: string): string[] {
  const file = join(__dirname, '..', '..', 'src', entry);
  const program = ts.createProgram([file], { strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  return checker.getExportsOfModule(module).map((symbol) => symbol.name);
}

const TESTING_EXPORTS = ['FakeResponsesServer', 'answerAfter', 'ResponseScript', 'fakeModel', 'functionCallResponse', 'recordingOpenStream', 'scriptedOpenStream', 'textResponse'];

describe('the public surface', () => {
  it('the root exports exactly the names of the contract, the I/O seams and the error classes', () => {
    expect(Object.keys(root).sort()).toEqual([...ROOT_EXPORTS].sort());
  });

  it('the root stays what a pipeline user needs: at most 100 names, types included, none of the provider plumbing', () => {
    const names = namesOf('index.ts');
    expect(names.length).toBeLessThanOrEqual(100);
    for (const plumbing of ['LLMService', 'LLMProvider', 'ResponseRecord', 'StreamedFunctionCall', 'FrameSink', 'parserOpenStream', 'SpanLike']) expect(names).not.toContain(plumbing);
  });

  it('rx-responses/provider exports what a provider needs: the service base, the contract and its record', () => {
    expect(Object.keys(provider).sort()).toEqual([...PROVIDER_EXPORTS].sort());
    expect(namesOf('provider/index.ts')).toEqual(expect.arrayContaining(['LLMProvider', 'ResponseRecord', 'StreamedFunctionCall', 'FrameSink', 'LLMServiceOptions', 'SettingsModel']));
  });

  it('rx-responses/testing exports exactly the testing kit', () => {
    expect(Object.keys(testing).sort()).toEqual([...TESTING_EXPORTS].sort());
  });

  it('every exported class and function is defined (no export of an undefined binding)', () => {
    for (const [name, value] of [...Object.entries(root), ...Object.entries(provider), ...Object.entries(testing)]) expect([name, value]).toEqual([name, expect.anything()]);
  });
});
