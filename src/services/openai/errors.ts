import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { LLMRequestError, LLMStreamError, RxResponsesError } from '../../errors';

/**
 * Turns anything the `openai` SDK or a stream threw into one of our typed errors with a clear message (pure). HTTP
 * statuses become `LLMRequestError`; broken streams, malformed data and dropped connections `LLMStreamError`.
 * Credentials are removed later, where the message leaves the service.
 */
export function toServiceError(error: unknown): RxResponsesError {
  if (error instanceof RxResponsesError) return error;
  if (error instanceof APIUserAbortError) return new LLMRequestError('LLM request aborted');
  if (error instanceof APIConnectionError) return new LLMRequestError(`LLM connection failed: ${causeMessage(error)}`);
  if (error instanceof APIError) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    const detail = apiErrorDetail(error);
    if (error.status === undefined) return new LLMStreamError(`LLM stream error: ${detail}`, code ? { code } : {});
    return new LLMRequestError(`LLM request failed with HTTP ${error.status}: ${detail}`, code ? { status: error.status, code } : { status: error.status });
  }
  if (error instanceof SyntaxError) return new LLMStreamError(`LLM stream error: malformed event data (${error.message})`);
  const message = error instanceof Error ? error.message : String(error);
  return new LLMStreamError(`LLM stream error: connection dropped or stream broken (${message})`);
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
