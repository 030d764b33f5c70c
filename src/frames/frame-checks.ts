import { z } from 'zod/v4';
import { FrameValidationError } from '../errors/errors';
import type { FieldRules } from '../runtime/validation';
import { ErrorFrame } from './llm-output-frames';

const chatMessages = z.array(z.looseObject({ role: z.string() }));

/** The fields each consumed frame type must have, for callers TypeScript cannot check (plain JavaScript). */
const RULES: Readonly<Record<string, FieldRules>> = {
  LLMContextFrame: {
    context: {
      schema: z.custom(
        (value) =>
          typeof value === 'object' && value !== null && Array.isArray((value as { messages?: unknown }).messages) && typeof (value as { addMessages?: unknown }).addMessages === 'function',
      ),
      allowed: 'an LLMContext',
    },
  },
  LLMMessagesAppendFrame: {
    messages: { schema: chatMessages, allowed: 'an array of chat messages ({ role, content })' },
    runLlm: { schema: z.boolean(), allowed: 'a boolean' },
  },
  LLMUpdateSettingsFrame: { delta: { schema: z.record(z.string(), z.unknown()), allowed: 'an object of settings' } },
  LLMMessagesUpdateFrame: {
    messages: { schema: chatMessages, allowed: 'an array of chat messages ({ role, content })' },
    runLlm: { schema: z.boolean(), allowed: 'a boolean' },
  },
  LLMSetToolsFrame: {
    tools: { schema: z.union([z.undefined(), z.array(z.unknown()), z.looseObject({ standardTools: z.array(z.unknown()) })]), allowed: 'a ToolsSchema, an array of tools, or undefined' },
  },
  LLMSetToolChoiceFrame: {
    toolChoice: {
      schema: z.union([z.undefined(), z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.literal('function') })]),
      allowed: "'auto', 'none', 'required', a function choice, or undefined",
    },
  },
  McpApprovalResponseFrame: {
    approvalRequestId: { schema: z.string().min(1), allowed: 'the approvalRequestId of an McpApprovalRequestFrame (a non-empty string)' },
    approve: { schema: z.boolean(), allowed: 'a boolean' },
    reason: { schema: z.union([z.undefined(), z.string()]), allowed: 'a string, or undefined' },
  },
  TextFrame: { text: { schema: z.string(), allowed: 'a string' } },
  TranscriptionFrame: { text: { schema: z.string(), allowed: 'a string' } },
};

/**
 * The ErrorFrame for a value a stage cannot consume: not a frame at all, or a frame of a checked type with a bad field.
 * Undefined when it is fine. Only frames a stage consumes are checked, so the per-token path pays nothing.
 */
export function malformedFrame(value: unknown): ErrorFrame | undefined {
  if (value === null || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
    return errorFrame(new FrameValidationError('frame', 'a frame object with a string type', value));
  }
  const type = (value as { type: string }).type;
  const rules = RULES[type];
  if (!rules) return undefined;
  for (const [field, rule] of Object.entries(rules)) {
    const fieldValue = (value as Record<string, unknown>)[field];
    if (!rule.schema.safeParse(fieldValue).success) return errorFrame(new FrameValidationError(`${type}.${field}`, rule.allowed, fieldValue));
  }
  return undefined;
}

function errorFrame(error: FrameValidationError): ErrorFrame {
  return new ErrorFrame({ error: error.message, exception: error });
}
