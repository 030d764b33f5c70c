/** Names people reach for from Pipecat or the REST API, and the library's own. */
const ALIASES: Readonly<Record<string, string>> = { maxTokens: 'maxCompletionTokens', maxOutputTokens: 'maxCompletionTokens', baseUrl: 'baseURL' };

/**
 * The known name a caller most likely meant (pure): the camelCase of a snake_case name (`api_key` → `apiKey`), the same
 * letters in another case (`base_url` → `baseURL`), a Pipecat or REST name (`max_tokens` → `maxCompletionTokens`), or
 * a name one or two letters away (`temprature` → `temperature`). Undefined when none is close.
 */
export function meantName(given: string, known: readonly string[]): string | undefined {
  const camel = given.replace(/[_-]+([a-zA-Z0-9])/g, (_, letter: string) => letter.toUpperCase());
  if (known.includes(camel)) return camel;
  const alias = ALIASES[camel];
  if (alias && known.includes(alias)) return alias;
  const letters = (name: string) => name.toLowerCase().replace(/[_-]/g, '');
  const sameLetters = known.find((name) => letters(name) === letters(given));
  if (sameLetters) return sameLetters;
  const near = known.map((name) => ({ name, distance: distance(letters(name), letters(given)) })).sort((a, b) => a.distance - b.distance)[0];
  return near && near.distance <= 2 && given.length > 3 ? near.name : undefined;
}

/** Levenshtein distance between two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
