/** The kinds of `MetricsFrame` data, one shape each (the root exports their union, `MetricsData`). */

/** Token counts of one response; a count the server did not report is 0. */
export interface LLMTokenUsage {
  /** Input tokens, cached ones included. */
  readonly promptTokens: number;
  /** Output tokens, reasoning ones included. */
  readonly completionTokens: number;
  /** Input plus output. */
  readonly totalTokens: number;
  /** Input tokens served from the prompt cache. */
  readonly cacheReadInputTokens: number;
  /** Input tokens written to the prompt cache, when the API reports them (0 otherwise). */
  readonly cacheCreationInputTokens: number;
  /** Output tokens spent on reasoning. */
  readonly reasoningTokens: number;
}

/** Time to first byte: from the context frame to the first output event, in seconds. */
export interface TTFBMetricsData {
  readonly kind: 'ttfb';
  /** The stage that measured it (the service's name). */
  readonly processor: string;
  /** The model the request asked for. */
  readonly model: string;
  /** Seconds, from the service's scheduler clock. */
  readonly value: number;
}

/** Time to first answer text (Pipecat's TTFAT): from the context frame to the first text of the answer, in seconds. Reasoning, hosted-tool progress and function-call rounds do not stop it. */
export interface TTFATMetricsData {
  readonly kind: 'ttfat';
  /** The stage that measured it (the service's name). */
  readonly processor: string;
  /** The model the request asked for. */
  readonly model: string;
  /** Seconds, from the service's scheduler clock. */
  readonly value: number;
}

/** Processing time: from the context frame to the end of the response, in seconds. */
export interface ProcessingMetricsData {
  readonly kind: 'processing';
  /** The stage that measured it. */
  readonly processor: string;
  /** The model the request asked for. */
  readonly model: string;
  /** Seconds, from the service's scheduler clock. */
  readonly value: number;
}

/** Token usage of one response. */
export interface LLMUsageMetricsData {
  readonly kind: 'usage';
  /** The stage that measured it. */
  readonly processor: string;
  /** The model that answered (as the server reported it). */
  readonly model: string;
  /** The token counts. */
  readonly value: LLMTokenUsage;
}

/** Any metric a `MetricsFrame` carries; switch on `kind`. */
