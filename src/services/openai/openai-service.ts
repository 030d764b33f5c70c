import type OpenAI from 'openai';
import { LLMService } from '../../llm/llm-service';
import type { LLMServiceOptions } from '../../llm/service-options';
import type { LLMSettingsValues, SettingsInput, SettingsModel } from '../../llm/settings';
import { checkOptions, type FieldRules } from '../../runtime/validation';
import { buildOpenAIClient, openAICredentials, type OpenAIClientOptions } from './client';

/**
 * What both OpenAI services share on top of the core: the `openai` client (built on first use from the connection
 * options, or the one given), its credentials for the redactor, and the SDK's errors as typed errors.
 */
export abstract class OpenAIService<
  V extends LLMSettingsValues,
  Event,
  O extends LLMServiceOptions<SettingsInput<V>> & OpenAIClientOptions,
> extends LLMService<V, Event, O> {
  /** The client, built on first use so a service with its own I/O seam needs no key. */
  private clientInstance: OpenAI | undefined;

  protected constructor(
    /** The service's class name, in default names and errors. */
    private readonly serviceClass: string,
    settingsModel: SettingsModel<V>,
    options: O,
    optionRules: FieldRules,
  ) {
    super(serviceClass, settingsModel, options);
    checkOptions('options', optionRules, options);
  }

  /** The `openai` client the default I/O uses (built from the options on first use). */
  get client(): OpenAI {
    this.clientInstance ??= buildOpenAIClient(this.serviceClass, this.options, this.logger);
    return this.clientInstance;
  }

  protected credentials(): readonly (string | undefined)[] {
    return openAICredentials(this.options);
  }
}
