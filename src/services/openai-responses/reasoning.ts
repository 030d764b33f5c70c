import type { ReasoningSettings } from './settings';

/** Models that reason: the o-series and GPT-5 and later (`gpt-5`, `gpt-5-mini`, `gpt-5.1`, …). */
const REASONING_MODEL = /^(o\d|gpt-(?:[5-9]|\d{2,}))/;

/** Whether a model id names a reasoning model (pure). */
export function isReasoningModel(model: string): boolean {
  return REASONING_MODEL.test(model.replace(/^openai\//, ''));
}

/**
 * The reasoning a request gets when none is configured: the lowest effort the model accepts, for latency (as Pipecat
 * does) — `none` from GPT-5.1 on, `minimal` for GPT-5, `low` for the o-series; nothing for models that do not reason.
 */
export function defaultReasoningFor(model: string): ReasoningSettings | undefined {
  if (!isReasoningModel(model)) return undefined;
  if (/^gpt-5(?:-|$)/.test(model)) return { effort: 'minimal' };
  if (/^gpt-/.test(model)) return { effort: 'none' };
  return { effort: 'low' };
}
