/** Anything shaped like an OpenAI key (`sk-…`, also masked echoes such as `sk-abc***xyz`). */
const KEY_PATTERN = /\bsk-[A-Za-z0-9_*.-]{3,}/g;

/**
 * Removes secrets from a message: every known secret verbatim, and anything that looks like an API key.
 * @example redactSecrets('bad key sk-proj-123', ['sk-proj-123']) // 'bad key [redacted]'
 */
export function redactSecrets(message: string, secrets: readonly (string | undefined)[] = []): string {
  let clean = message;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) clean = clean.split(secret).join('[redacted]');
  }
  return clean.replace(KEY_PATTERN, '[redacted]');
}
