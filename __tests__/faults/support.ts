import { LLMContext, LLMContextFrame, type OpenAIResponsesLLMService } from '../../src';
import type { FakeResponsesServer } from '../../src/testing';
import { OperatorHarness } from '../support/harness';

/** A context frame with one user message. */
export const ask = (text = 'Hello') => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });

/**
 * Runs one context that meets a fault, returns the harness for assertions, and has already checked the invariants every
 * fault must keep: Start/End balanced, the output neither errored nor completed.
 */
export async function runFault(llm: OpenAIResponsesLLMService): Promise<OperatorHarness> {
  const harness = new OperatorHarness(llm);
  harness.send(ask());
  await harness.waitForEnds(1);
  expect(harness.count('LLMFullResponseStartFrame')).toBe(harness.count('LLMFullResponseEndFrame'));
  expect(harness.errors).toEqual([]);
  expect(harness.completed).toBe(false);
  return harness;
}

/** The next context on the same pipeline gets a normal answer (the server's fallback "OK"), and nothing stays open. */
export async function expectNextContextWorks(harness: OperatorHarness, server: FakeResponsesServer): Promise<void> {
  const ends = harness.count('LLMFullResponseEndFrame');
  const texts = harness.count('LLMTextFrame');
  const errors = harness.count('ErrorFrame');
  harness.send(ask('again'));
  await harness.waitForEnds(ends + 1);
  expect(harness.output.slice(-4).map((frame) => frame.type)).toContain('LLMTextFrame');
  expect(harness.count('LLMTextFrame')).toBe(texts + 1);
  expect(harness.count('ErrorFrame')).toBe(errors);
  expect(harness.text().endsWith('OK')).toBe(true);
  await server.waitFor(() => server.activeReplies === 0);
  harness.stop();
}
