import type { ReasoningSettings } from './settings';

/** Models that reason: the o-series and GPT-5 and later (`gpt-5`, `gpt-5-mini`, `gpt-5.1`, …). */
const REASONING_MODEL = /^(o\d|gpt-(?:[5-9]|\d{2,}))/;
/** The chat variants of those (`gpt-5-chat-latest`, `gpt-5.1-chat-latest`) do not reason. */
const CHAT_VARIANT = /-chat(?:-|$)/;

/**
 * Whether a model id names a reasoning model (pure). Only ids known to reason count: an unknown id (a deployment name,
 * a proxy's alias) gets no reasoning settings by default.
 */
export function isReasoningModel(model: string): boolean {
  const id = model.replace(/^openai\//, '');
  return REASONING_MODEL.test(id) && !CHAT_VARIANT.test(id);
}

/**
 * The reasoning a request gets when none is configured: the lowest effort the model accepts, for latency (as Pipecat
 * does) — `none` from GPT-5.1 on, `minimal` for GPT-5, `low` for the o-series; nothing for models that do not reason.
 */
export function defaultReasoningFor(model: string): ReasoningSettings | undefined {
  if (!isReasoningModel(model)) return undefined;
  const id = model.replace(/^openai\//, '');
  if (/^gpt-5(?:-|$)/.test(id)) return { effort: 'minimal' };
  if (/^gpt-/.test(id)) return { effort: 'none' };
  return { effort: 'low' };
}
