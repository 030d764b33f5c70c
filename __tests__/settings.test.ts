import { DEFAULT_SETTINGS, mergeSettings } from '../src/services/openai-responses/settings';
import {
  NOT_GIVEN,
  OpenAIResponsesLLMService,
  OpenAIResponsesLLMSettings,
  SettingsValidationError,
} from '../src';
import { recordingLogger } from './support/harness';

describe('OpenAIResponsesLLMSettings', () => {
  it('returns a frozen object where unset fields are NOT_GIVEN', () => {
    const settings = OpenAIResponsesLLMSettings({ temperature: 0.7, maxCompletionTokens: 1000 });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(settings.temperature).toBe(0.7);
    expect(settings.maxCompletionTokens).toBe(1000);
    expect(settings.model).toBe(NOT_GIVEN);
    expect(settings.topP).toBe(NOT_GIVEN);
  });

  it('is the same function as OpenAIResponsesLLMService.Settings', () => {
    expect(OpenAIResponsesLLMService.Settings).toBe(OpenAIResponsesLLMSettings);
  });

  it.each([
    ['temperature', 2.5, 'a number from 0 to 2'],
    ['temperature', -0.1, 'a number from 0 to 2'],
    ['topP', 1.5, 'a number from 0 to 1'],
    ['frequencyPenalty', -3, 'a number from -2 to 2'],
    ['presencePenalty', 2.01, 'a number from -2 to 2'],
    ['seed', 1.5, 'an integer'],
    ['maxCompletionTokens', 0, 'a positive integer'],
    ['maxCompletionTokens', 10.5, 'a positive integer'],
    ['model', '', 'a non-empty model id'],
    ['temperature', 'hot', 'a number from 0 to 2'],
  ])('rejects %s = %p with a SettingsValidationError naming the field and range', (field, value, allowed) => {
    let caught: unknown;
    try {
      OpenAIResponsesLLMSettings({ [field]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsValidationError);
    const error = caught as SettingsValidationError;
    expect(error.field).toBe(field);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toContain(allowed);
  });

  it('rejects an unknown setting by name', () => {
    expect(() => OpenAIResponsesLLMSettings({ temprature: 1 } as never)).toThrow(/Invalid setting "temprature"/);
  });

  it('accepts the range bounds and null', () => {
    const settings = OpenAIResponsesLLMSettings({ temperature: 2, topP: 0, frequencyPenalty: -2, presencePenalty: 2, seed: null });
    expect(settings.temperature).toBe(2);
    expect(settings.seed).toBeNull();
  });
});

describe('mergeSettings', () => {
  it('changes only the fields the delta sets', () => {
    const base = mergeSettings(DEFAULT_SETTINGS, OpenAIResponsesLLMSettings({ model: 'gpt-4.1-mini', temperature: 0.7 }));
    const merged = mergeSettings(base, OpenAIResponsesLLMSettings({ temperature: 0.3 }));
    expect(merged.model).toBe('gpt-4.1-mini');
    expect(merged.temperature).toBe(0.3);
    expect(merged.topP).toBe(NOT_GIVEN);
  });

  it('validates a plain-object delta', () => {
    expect(() => mergeSettings(DEFAULT_SETTINGS, { topP: 7 })).toThrow(SettingsValidationError);
  });
});

describe('service settings', () => {
  it('defaults the model to gpt-4.1', () => {
    const llm = new OpenAIResponsesLLMService({ apiKey: 'k' });
    expect(llm.settings.model).toBe('gpt-4.1');
  });

  it('keeps the previous settings when an update is invalid', () => {
    const llm = new OpenAIResponsesLLMService({ apiKey: 'k', settings: { temperature: 0.5 } });
    expect(() => llm.updateSettings({ temperature: 9 })).toThrow(SettingsValidationError);
    expect(llm.settings.temperature).toBe(0.5);
  });

  it('rejects invalid constructor settings', () => {
    expect(() => new OpenAIResponsesLLMService({ settings: { maxCompletionTokens: -1 } })).toThrow(/maxCompletionTokens/);
  });

  it('warns once per service that frequencyPenalty, presencePenalty and seed have no effect', () => {
    const logger = recordingLogger();
    const llm = new OpenAIResponsesLLMService({ apiKey: 'k', logger, settings: { frequencyPenalty: 0.5 } });
    llm.updateSettings({ seed: 42 });
    llm.updateSettings({ presencePenalty: 1 });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(/frequencyPenalty has no effect/);
  });

  it('does not warn when those settings are left alone', () => {
    const logger = recordingLogger();
    const llm = new OpenAIResponsesLLMService({ apiKey: 'k', logger, settings: { temperature: 1 } });
    llm.updateSettings({ maxCompletionTokens: 5 });
    expect(logger.lines).toEqual([]);
  });

  it('publishes each merged value on settings$', () => {
    const llm = new OpenAIResponsesLLMService({ apiKey: 'k' });
    const seen: unknown[] = [];
    llm.settings$.subscribe((settings) => seen.push(settings.temperature));
    llm.updateSettings({ temperature: 0.2 });
    expect(seen).toEqual([NOT_GIVEN, 0.2]);
  });
});
