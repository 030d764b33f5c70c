import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { LLMRequestError, LLMStreamError, RxResponsesError, redactSecrets } from '../../errors';
import { ErrorFrame } from '../../frames';

/**
 * Turns anything a request or stream threw into one of our typed errors with a clear message and no secrets (pure).
 * HTTP statuses become `LLMRequestError`; broken streams, malformed data and dropped connections `LLMStreamError`.
 */
export function toServiceError(error: unknown, secrets: readonly (string | undefined)[]): RxResponsesError {
  const clean = (message: string) => redactSecrets(message, secrets);
  if (error instanceof RxResponsesError) return error;
  if (error instanceof APIUserAbortError) return new LLMRequestError('LLM request aborted');
  if (error instanceof APIConnectionError) {
    return new LLMRequestError(clean(`LLM connection failed: ${causeMessage(error)}`));
  }
  if (error instanceof APIError) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    const detail = clean(apiErrorDetail(error));
    if (error.status === undefined) return new LLMStreamError(`LLM stream error: ${detail}`, code ? { code } : {});
    return new LLMRequestError(`LLM request failed with HTTP ${error.status}: ${detail}`, code ? { status: error.status, code } : { status: error.status });
  }
  if (error instanceof SyntaxError) return new LLMStreamError(clean(`LLM stream error: malformed event data (${error.message})`));
  const message = error instanceof Error ? error.message : String(error);
  return new LLMStreamError(clean(`LLM stream error: connection dropped or stream broken (${message})`));
}

/** The ErrorFrame users see for a failure (never fatal: the next context still runs). */
export function errorFrameFor(error: unknown, secrets: readonly (string | undefined)[]): ErrorFrame {
  const typed = toServiceError(error, secrets);
  return new ErrorFrame({ error: typed.message, exception: typed });
}

function apiErrorDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message) return body.message;
  return error.message.replace(/^\d{3}\s+/, '') || 'no message';
}

function causeMessage(error: APIConnectionError): string {
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : '';
  return detail && detail !== error.message ? `${error.message} (${detail})` : error.message;
}
