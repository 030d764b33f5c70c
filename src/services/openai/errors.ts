import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { LLMRequestError, LLMStreamError, RxResponsesError } from '../../errors';

/**
 * Turns anything the `openai` SDK or a stream threw into one of our typed errors with a clear message (pure). HTTP
 * statuses become `LLMRequestError`; broken streams, malformed data and dropped connections `LLMStreamError`.
 * Credentials are removed later, where the message leaves the service.
 */
export function toServiceError(error: unknown): RxResponsesError {
  if (error instanceof RxResponsesError) return error;
  if (error instanceof APIUserAbortError) return new LLMRequestError('LLM request aborted', { code: 'ABORTED' });
  if (error instanceof APIConnectionError) {
    const system = systemCause(error);
    const detail = system?.message ?? causeMessage(error);
    return new LLMRequestError(`LLM connection failed: ${detail}`, { ...(system?.code ? { code: system.code } : {}), cause: error });
  }
  if (error instanceof APIError) {
    const code = typeof error.code === 'string' ? error.code : undefined;
    const detail = apiErrorDetail(error);
    // The SDK reads the id from the response's `x-request-id` header.
    const requestId = typeof error.requestID === 'string' && error.requestID ? { requestId: error.requestID } : {};
    if (error.status === undefined) return new LLMStreamError(`LLM stream error: ${detail}`, { ...(code ? { code } : {}), ...requestId });
    return new LLMRequestError(`LLM request failed with HTTP ${error.status}: ${detail}${urlHint(error.status, detail)}`, {
      status: error.status,
      ...(code ? { code } : {}),
      ...requestId,
      ...retryHints(error.headers),
    });
  }
  if (error instanceof SyntaxError) return new LLMStreamError(`LLM stream error: malformed event data (${error.message})`);
  const message = error instanceof Error ? error.message : String(error);
  return new LLMStreamError(`LLM stream error: connection dropped or stream broken (${message})`);
}

/**
 * The hint for the API's "Invalid URL" 404: a `baseURL` without its version path (`https://api.openai.com` instead of
 * `https://api.openai.com/v1`) sends requests where no endpoint answers.
 */
function urlHint(status: number, detail: string): string {
  if (status !== 404 || !/^Invalid URL \(\w+ ([^)]*)\)/.test(detail)) return '';
  const path = /^Invalid URL \(\w+ ([^)]*)\)/.exec(detail)![1]!;
  return /^\/v\d/.test(path)
    ? ' (the server has no such endpoint: check baseURL)'
    : ` (baseURL lacks the API's version path: the request went to ${path}; use a baseURL that ends in /v1, e.g. https://api.openai.com/v1)`;
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

/**
 * The system error under a failed connection (fetch's `cause`, or its cause): `connect ECONNREFUSED 127.0.0.1:59999`,
 * with its code; undefined when there is none.
 */
function systemCause(error: Error): { message: string; code: string | undefined } | undefined {
  // Duck-typed: fetch's errors can come from another realm (a vm context, a test runner), where instanceof fails.
  type Cause = { readonly message?: unknown; readonly code?: unknown; readonly address?: unknown; readonly port?: unknown; readonly cause?: unknown };
  for (let cause = error.cause as Cause | undefined, depth = 0; cause && typeof cause === 'object' && depth < 5; cause = cause.cause as Cause | undefined, depth++) {
    const { code, address, port, message } = cause;
    if (typeof code === 'string' && typeof message === 'string' && /^E[A-Z]+$|^UND_ERR/.test(code)) {
      const where = typeof address === 'string' && !message.includes(address) ? ` ${address}${typeof port === 'number' ? `:${port}` : ''}` : '';
      return { message: `${message}${where}`, code };
    }
  }
  return undefined;
}

/** What the server said about retrying: `retry-after-ms`, `retry-after` (seconds or a date) and `x-should-retry`. */
function retryHints(headers: Headers | undefined): { retryAfterMs?: number; shouldRetry?: boolean } {
  if (!headers || typeof headers.get !== 'function') return {};
  const hints: { retryAfterMs?: number; shouldRetry?: boolean } = {};
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  const after = headers.get('retry-after');
  if (Number.isFinite(ms)) hints.retryAfterMs = ms;
  else if (after !== null) {
    const seconds = Number.parseFloat(after);
    const date = Date.parse(after);
    if (Number.isFinite(seconds)) hints.retryAfterMs = seconds * 1000;
    else if (Number.isFinite(date)) hints.retryAfterMs = Math.max(0, date - Date.now());
  }
  const should = headers.get('x-should-retry');
  if (should === 'true' || should === 'false') hints.shouldRetry = should === 'true';
  return hints;
}
