import type OpenAI from 'openai';
import { concatMap, defer, from, type Observable } from 'rxjs';
import { LLMService } from '../../llm/llm-service';
import type { LLMServiceOptions } from '../../llm/service-options';
import type { LLMSettingsValues, SettingsInput, SettingsModel } from '../../llm/settings';
import { LLM_SERVICE_OPTION_NAMES } from '../../llm/service-options';
import { checkOptionNames, checkOptions, type FieldRules } from '../../runtime/validation';
import { buildOpenAIClient, openAICredentials, type OpenAIClientOptions } from './client';

/** How long a warm-up may take before it is given up (the SDK's timer: the request is the SDK's). */
const WARM_UP_TIMEOUT_MS = 10_000;

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
    checkOptionNames(options, [...LLM_SERVICE_OPTION_NAMES, ...Object.keys(optionRules)], (message) => this.logger.warn(`${this.name}: ${message}`));
  }

  /** The `openai` client the default I/O uses (built from the options on first use). */
  get client(): OpenAI {
    this.clientInstance ??= buildOpenAIClient(this.serviceClass, this.options, this.logger);
    return this.clientInstance;
  }

  /**
   * A `GET` of the API's base URL, without credentials, through the client's own `fetch` (so its connection pool is the
   * one warmed): the TCP and TLS handshakes are paid now; the answer is the API's 404, nothing is billed.
   */
  protected override async openConnection(): Promise<void> {
    const client = this.client;
    const { headers: _headers, signal: _signal, ...fetchOptions } = client.fetchOptions ?? {};
    const response = await client.fetchWithTimeout(client.baseURL, { ...fetchOptions, method: 'GET' }, WARM_UP_TIMEOUT_MS, new AbortController());
    // The (small) body is read so the connection goes back to the pool; the client hands it back just after, so the
    // warm-up ends a task later, when a request waiting for it finds the connection idle.
    await response.arrayBuffer().catch(() => undefined);
    await new Promise<void>((resolve) => this.scheduler.schedule(() => resolve()));
  }

  /**
   * A request seam that waits for a warm-up in progress before it sends: the connection being opened is then the one
   * the request uses (opening a second one in parallel would pay the same handshakes again).
   */
  protected afterWarmUp<R, E>(open: (request: R) => Observable<E>): (request: R) => Observable<E> {
    return (request) =>
      defer(() => {
        const warming = this.warmingUp;
        return warming ? from(warming).pipe(concatMap(() => open(request))) : open(request);
      });
  }

  protected credentials(): readonly (string | undefined)[] {
    return openAICredentials(this.options);
  }
}
