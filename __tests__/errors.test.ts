/**
 * The SDK's errors as ours (pure): the status, the code, the request id and what the server said about retrying, read
 * from the headers the live API sends.
 */
import { APIError } from 'openai';
import { LLMRequestError, LLMStreamError } from '../src';
import { toServiceError } from '../src/services/openai/errors';

const apiError = (status: number | undefined, headers: Record<string, string>) =>
  APIError.generate(status, { error: { message: 'Slow down', code: 'rate_limit_exceeded' } }, undefined, new Headers(headers));

describe('toServiceError', () => {
  it('reads retry-after in seconds, retry-after-ms first when both are sent, and x-should-retry', () => {
    expect((toServiceError(apiError(429, { 'retry-after': '1' })) as LLMRequestError).retryAfterMs).toBe(1000);
    expect((toServiceError(apiError(429, { 'retry-after': '2', 'retry-after-ms': '250' })) as LLMRequestError).retryAfterMs).toBe(250);
    const noRetry = toServiceError(apiError(500, { 'x-should-retry': 'false' })) as LLMRequestError;
    expect([noRetry.shouldRetry, noRetry.retryable]).toEqual([false, false]);
  });

  it('reads a retry-after date as the wait until then', () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const wait = (toServiceError(apiError(503, { 'retry-after': inTwoSeconds })) as LLMRequestError).retryAfterMs!;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(2000);
  });

  it('keeps the status, the code and the request id (x-request-id) the API sent', () => {
    const error = toServiceError(apiError(429, { 'x-request-id': 'req_123' }));
    expect(error).toBeInstanceOf(LLMRequestError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', requestId: 'req_123', message: 'LLM request failed with HTTP 429: Slow down' });
  });

  it('an API error without a status (an error in the stream) is a stream error, with the request id when there is one', () => {
    const error = toServiceError(new APIError(undefined, { message: 'Slow down', code: 'rate_limit_exceeded' }, undefined, new Headers({ 'x-request-id': 'req_456' })));
    expect(error).toBeInstanceOf(LLMStreamError);
    expect(error).toMatchObject({ code: 'rate_limit_exceeded', requestId: 'req_456' });
  });
});
