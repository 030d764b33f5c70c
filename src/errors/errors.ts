import { redactSecrets } from './redact';
import { shareClasses } from '../runtime/shared-classes';

/** The base of every error this library raises or puts in an `ErrorFrame`: `instanceof` it to catch them all. */
export class RxResponsesError extends Error {
  override readonly name: string = 'RxResponsesError';
}

/** A setting is unknown or outside its allowed range; `field` names it, `allowed` says what fits. */
export class SettingsValidationError extends RxResponsesError {
  override readonly name = 'SettingsValidationError';
  /** The setting's name as you spelled it (camelCase). */
  readonly field: string;
  /** What the setting accepts, e.g. "a number from 0 to 2". */
  readonly allowed: string;
  constructor(field: string, allowed: string, received: unknown) {
    super(`Invalid setting "${field}": expected ${allowed}, got ${describeValue(received)}`);
    this.field = field;
    this.allowed = allowed;
  }
}

/** A context message or tool cannot be turned into a Responses request; `field` is its path, e.g. `messages[2].role`. */
export class ContextValidationError extends RxResponsesError {
  override readonly name = 'ContextValidationError';
  /** Where in the context the problem is. */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`Invalid context at ${field}: ${problem}`);
    this.field = field;
  }
}

/** A frame from a plain-JavaScript caller is malformed (e.g. `new TextFrame('Hi')`); `field` names what is wrong. */
export class FrameValidationError extends RxResponsesError {
  override readonly name = 'FrameValidationError';
  /** The frame type and field, e.g. `LLMMessagesAppendFrame.messages`. */
  readonly field: string;
  /** What the field accepts. */
  readonly allowed: string;
  constructor(field: string, allowed: string, received: unknown) {
    super(`Invalid frame: ${field} must be ${allowed}, got ${describeValue(received)}; the frame was dropped`);
    this.field = field;
    this.allowed = allowed;
  }
}

/** The HTTP request failed: an error status (after retries) or no connection (then `code` is the system's, e.g. `ECONNREFUSED`). */
export class LLMRequestError extends RxResponsesError {
  override readonly name = 'LLMRequestError';
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The API's error code (e.g. `rate_limit_exceeded`), or the connection's (e.g. `ECONNREFUSED`). */
  readonly code: string | undefined;
  /** How long the server asked to wait before trying again (`retry-after-ms` / `retry-after`), in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** Whether the server said to retry (`x-should-retry`), when it said. */
  readonly shouldRetry: boolean | undefined;
  /** The id the API gave the request (`x-request-id`), for its support and logs, when it answered. */
  readonly requestId: string | undefined;
  constructor(message: string, fields: { status?: number; code?: string; retryAfterMs?: number; shouldRetry?: boolean; requestId?: string; cause?: unknown } = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.requestId = fields.requestId;
    this.status = fields.status;
    this.code = fields.code;
    this.retryAfterMs = fields.retryAfterMs;
    this.shouldRetry = fields.shouldRetry;
  }

  /** Whether trying again may help: 408, 409, 429, 5xx and connection failures, unless the server said otherwise. */
  get retryable(): boolean {
    if (this.shouldRetry !== undefined) return this.shouldRetry;
    if (this.status === undefined) return this.code !== 'ABORTED';
    return this.status === 408 || this.status === 409 || this.status === 429 || this.status >= 500;
  }
}

/** Error codes (or types) a failure in the stream can carry that trying again may cure, as an HTTP 429 or 5xx would. */
const RETRYABLE_STREAM_ERRORS = new Set(['rate_limit_exceeded', 'server_error', 'internal_error', 'server_overloaded', 'overloaded', 'service_unavailable', 'timeout', 'request_timeout']);

/** The stream broke after it started: an `error` event, `response.failed`, malformed data or a dropped connection. */
export class LLMStreamError extends RxResponsesError {
  override readonly name = 'LLMStreamError';
  /** The API's error code, when it sent one. */
  readonly code: string | undefined;
  /** The API's error type (e.g. `server_error`), when it sent one. */
  readonly type: string | undefined;
  /** How long the server asked to wait before trying again ("try again in 1.2s"), in milliseconds, when it said. */
  readonly retryAfterMs: number | undefined;
  /** The id the API gave the request (`x-request-id`), when the error came with it. */
  readonly requestId: string | undefined;
  constructor(message: string, fields: { code?: string; type?: string; retryAfterMs?: number; requestId?: string } = {}) {
    super(message);
    this.code = fields.code;
    this.type = fields.type;
    this.retryAfterMs = fields.retryAfterMs;
    this.requestId = fields.requestId;
  }

  /** Whether trying again may help: a rate limit, an overload, a server error or a timeout the API reported in the stream. */
  get retryable(): boolean {
    return RETRYABLE_STREAM_ERRORS.has(this.code ?? this.type ?? '');
  }
}

/** A response completed with nothing for the user: no text, no refusal, no function call, no hosted tool's output. */
export class LLMEmptyResponseError extends RxResponsesError {
  override readonly name = 'LLMEmptyResponseError';
  /** How many times it was asked again before giving up (`emptyResponseRetries`). */
  readonly retries: number;
  constructor(retries: number) {
    super(`LLM response was empty: no text, no refusal and no function call${retries > 0 ? `, ${retries === 1 ? 'also when asked again' : `also when asked ${retries} more times`}` : ''}`);
    this.retries = retries;
  }
}

/** The model sent an output item the app is meant to execute (a shell call, a computer action, …) and no handler is registered for its type. */
export class UnhandledOutputItemError extends RxResponsesError {
  override readonly name = 'UnhandledOutputItemError';
  /** The item's type, e.g. `'shell_call'`. */
  readonly itemType: string;
  constructor(itemType: string) {
    super(
      `The model sent an output item of type "${itemType}", which the app executes, and no handler is registered for it: ` +
        `register one with llm.registerItemHandler('${itemType}', (item) => outputItem), returning the output item to send back`,
    );
    this.itemType = itemType;
  }
}

/** The response ended early (`response.incomplete`); the text before it was delivered. */
export class LLMIncompleteError extends RxResponsesError {
  override readonly name = 'LLMIncompleteError';
  /** Why, as the API said (`max_output_tokens`, `content_filter`), or `unknown`. */
  readonly reason: string;
  constructor(reason: string, detail = '') {
    super(`LLM response incomplete: ${reason}${detail}`);
    this.reason = reason;
  }
}

/** No output (or no further output) arrived within the completion timeout. */
export class LLMTimeoutError extends RxResponsesError {
  override readonly name = 'LLMTimeoutError';
  constructor(message = 'LLM completion timeout') {
    super(message);
  }
}

/** A function call could not run or answer: no handler, bad arguments, a throwing or silent handler, an unserialisable result. */
export class FunctionCallError extends RxResponsesError {
  override readonly name = 'FunctionCallError';
  /** The function's name. */
  readonly functionName: string;
  /** The call id. */
  readonly toolCallId: string;
  /** `cause`: what the handler threw or rejected with, when it failed that way. */
  constructor(message: string, functionName: string, toolCallId: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.functionName = functionName;
    this.toolCallId = toolCallId;
  }
}

/** The model kept asking for function calls past `maxFunctionCallRounds`: the turn ends without running it again. */
export class FunctionCallLimitError extends RxResponsesError {
  override readonly name = 'FunctionCallLimitError';
  /** How many times the turn had run the model again with function results. */
  readonly rounds: number;
  constructor(rounds: number) {
    super(
      `Function call limit reached: the model asked for more function calls after ${rounds} follow-up response${rounds === 1 ? '' : 's'} ` +
        '(maxFunctionCallRounds); their results are in the context, and the model was not run again',
    );
    this.rounds = rounds;
  }
}

/** Short, secret-free rendering of a rejected value for error messages. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactSecrets(value.length > 40 ? `${value.slice(0, 40)}…` : value));
  if (typeof value === 'symbol') return value.description ?? 'a symbol';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** A structured-output answer does not fit the schema it was asked for; `path` names where (e.g. `items.0.price`). */
export class StructuredOutputError extends RxResponsesError {
  override readonly name = 'StructuredOutputError';
  /** Where in the answer the problem is. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`Structured output does not match the schema at ${path}: ${problem}`);
    this.path = path;
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ RxResponsesError, SettingsValidationError, ContextValidationError, FrameValidationError, LLMRequestError, LLMStreamError, LLMEmptyResponseError, UnhandledOutputItemError, LLMIncompleteError, LLMTimeoutError, FunctionCallError, FunctionCallLimitError, StructuredOutputError });
