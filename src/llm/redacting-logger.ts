import type { Redactor } from './redactor';
import type { ServiceLogger } from './service-options';

/** A logger that flattens each line to text and redacts it before the app's logger sees it. */
export function redactingLogger(logger: ServiceLogger, redactor: () => Redactor): ServiceLogger {
  const flat = (message: string, details: unknown[]) =>
    redactor().text([message, ...details.map((detail) => (typeof detail === 'string' ? detail : safeJson(detail)))].join(' '));
  return {
    warn: (message, ...details) => logger.warn(flat(message, details)),
    error: (message, ...details) => logger.error(flat(message, details)),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
