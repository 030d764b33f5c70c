import { redactSecrets } from '../errors/redact';
import { ErrorFrame, FunctionCallResultFrame, type Frame } from '../frames';

/**
 * Removes a service's credentials (and anything shaped like an API key) from what leaves the library: error frames and
 * their exceptions, thrown errors, log lines, function outputs sent to the model. One per set of credentials.
 */
export class Redactor {
  constructor(
    /** The values no message may show. */
    readonly secrets: readonly string[],
  ) {}

  /** The text with every secret replaced by `[redacted]`. */
  text(text: string): string {
    return redactSecrets(text, this.secrets);
  }

  /**
   * The same error, its message, stack and string fields scrubbed in place (its class and `instanceof` stay), and its
   * causes likewise. Duck-typed, as an error from another realm (a vm context) is no `instanceof Error` here.
   */
  error<E>(error: E, depth = 0): E {
    if (error === null || typeof error !== 'object' || depth > 5) return error;
    for (const key of Object.getOwnPropertyNames(error)) {
      const value: unknown = Reflect.get(error, key);
      if (typeof value === 'string') {
        const clean = this.text(value);
        // A frozen error keeps its text (the set fails quietly); its message is redacted again where a frame carries it.
        if (clean !== value) Reflect.set(error, key, clean);
      }
    }
    if ('cause' in error) this.error(Reflect.get(error, 'cause'), depth + 1);
    return error;
  }

  /**
   * A frame as it may leave the library: an ErrorFrame or a FunctionCallResultFrame with a secret in it becomes a clean
   * copy (a handler's error, or its result, can quote one); other frames pass as they are.
   */
  frame<F extends Frame>(frame: F): F {
    if (frame.type === 'ErrorFrame') {
      const clean = this.text(frame.error);
      if (frame.exception) this.error(frame.exception);
      if (clean === frame.error) return frame;
      return new ErrorFrame({ error: clean, fatal: frame.fatal, ...(frame.exception ? { exception: frame.exception } : {}) }) as F;
    }
    if (frame.type === 'FunctionCallResultFrame') {
      const result = this.value(frame.result);
      if (result === frame.result) return frame;
      return new FunctionCallResultFrame({ functionName: frame.functionName, toolCallId: frame.toolCallId, arguments: frame.arguments, result, final: frame.final }) as F;
    }
    return frame;
  }

  /** A value with every string in it cleaned; the same value when there was nothing to clean. */
  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      return value;
    }
    if (json === undefined) return value;
    const clean = this.text(json);
    return clean === json ? value : (JSON.parse(clean) as unknown);
  }
}

/** Every credential-bearing value in a set of headers: auth-like names, and the token part of `Bearer …` values. */
export function credentialsInHeaders(headers: Readonly<Record<string, unknown>> | undefined | null): string[] {
  if (!headers || typeof headers !== 'object') return [];
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string' || !/auth|key|token|secret|cookie|password/i.test(name)) continue;
    found.push(value);
    const token = /^\s*(?:bearer|basic|token)\s+(.+)$/i.exec(value)?.[1];
    if (token) found.push(token.trim());
  }
  return found;
}
