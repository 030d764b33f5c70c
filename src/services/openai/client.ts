import OpenAI from 'openai';
import { z } from 'zod/v4';
import { RxResponsesError } from '../../errors';
import { credentialsInHeaders } from '../../llm/redactor';
import type { ServiceLogger } from '../../llm/service-options';
import type { FieldRules } from '../../runtime/validation';

/** How an OpenAI service reaches the API: the page's connection options, or a client of your own. */
export interface OpenAIClientOptions {
  /**
   * OpenAI API key; checked when the first request is made, so a service with its own `openStream` needs none.
   * @default process.env.OPENAI_API_KEY
   */
  readonly apiKey?: string | undefined;
  /**
   * Base URL of the API, with its version path (proxies, Azure, local servers, the fake server).
   * @default https://api.openai.com/v1
   */
  readonly baseURL?: string | undefined;
  /**
   * OpenAI organization id.
   * @default none
   */
  readonly organization?: string | undefined;
  /**
   * OpenAI project id.
   * @default none
   */
  readonly project?: string | undefined;
  /**
   * Extra headers sent with every request (auth-like ones are redacted everywhere, as the key is).
   * @default none
   */
  readonly defaultHeaders?: Record<string, string> | undefined;
  /**
   * An `openai` client to use instead of one built from the options above (its own retries are turned off: the service retries).
   * @default built from the options above
   */
  readonly client?: OpenAI | undefined;
  /**
   * Lets the client the service builds run in a browser, where the key would be visible to the page's users (the
   * `openai` SDK's option of the same name; a proxy that adds the key is the safe way: see docs/transports.md).
   * @default false
   */
  readonly dangerouslyAllowBrowser?: boolean | undefined;
}

/** The rules of the connection options that are checked at construction. */
export const OPENAI_CLIENT_OPTION_RULES: FieldRules<keyof OpenAIClientOptions> = {
  apiKey: { schema: z.string(), allowed: 'a string' },
  baseURL: { schema: z.string().min(1), allowed: 'a URL string' },
  organization: { schema: z.string(), allowed: 'a string' },
  project: { schema: z.string(), allowed: 'a string' },
  defaultHeaders: { schema: z.record(z.string(), z.string().nullable()), allowed: 'an object of header names to string (or null) values' },
  client: { schema: z.custom<OpenAI>((value) => typeof value === 'object' && value !== null), allowed: 'an openai client (new OpenAI(...))' },
  dangerouslyAllowBrowser: { schema: z.boolean(), allowed: 'a boolean' },
};

/** The API key the options give, or the environment's (read each time: it may be set after construction). */
export function apiKeyOf(options: OpenAIClientOptions): string | undefined {
  return options.apiKey ?? (typeof process === 'undefined' ? undefined : process.env?.OPENAI_API_KEY);
}

/** Every credential the options or the client carry: the key from any source, and auth-like header values. */
export function openAICredentials(options: OpenAIClientOptions): (string | undefined)[] {
  const client = options.client as (OpenAI & { _options?: { defaultHeaders?: Record<string, unknown> } }) | undefined;
  return [
    apiKeyOf(options),
    client?.apiKey ?? undefined,
    ...credentialsInHeaders(options.defaultHeaders),
    ...credentialsInHeaders(client?._options?.defaultHeaders),
  ];
}

/**
 * The `openai` client of a service (`serviceClass` names it in errors): the one given, or one built from the options,
 * whose log lines go to the service's redacting logger. Either way it sends each request once: the service retries, in
 * RxJS on its scheduler, so a wait can be cancelled and tested in virtual time.
 */
export function buildOpenAIClient(serviceClass: string, options: OpenAIClientOptions, logger: ServiceLogger): OpenAI {
  if (options.client) return options.client.withOptions({ maxRetries: 0 });
  return new OpenAI({
    apiKey: apiKeyOf(options) ?? missingKey(serviceClass),
    baseURL: options.baseURL,
    organization: options.organization,
    project: options.project,
    ...(options.dangerouslyAllowBrowser === undefined ? {} : { dangerouslyAllowBrowser: options.dangerouslyAllowBrowser }),
    defaultHeaders: options.defaultHeaders,
    maxRetries: 0,
    logger: { error: logger.error, warn: logger.warn, info: () => {}, debug: () => {} },
  });
}

function missingKey(serviceClass: string): never {
  throw new RxResponsesError(`No OpenAI API key: pass apiKey to ${serviceClass} or set OPENAI_API_KEY.`);
}
