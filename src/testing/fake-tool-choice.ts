/** How the fake model picks a tool and its arguments from what the user said (pure). */

/** A tool the request offers, as the fake model reads it. */
export interface OfferedTool {
  readonly type?: string;
  readonly name?: string;
  readonly parameters?: { readonly properties?: Record<string, { readonly type?: string | readonly string[]; readonly enum?: readonly unknown[] }>; readonly required?: readonly string[] };
}

/** Words of a tool's name that say nothing about what it does. */
const FILLER = new Set(['get', 'set', 'look', 'up', 'find', 'fetch', 'make', 'do', 'run', 'call', 'the', 'a', 'an', 'of', 'to', 'for', 'by', 'and', 'current', 'tool']);

/** The words of a name: `get_weather` and `getWeather` both give `weather`. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 2 && !FILLER.has(word));
}

/** The first offered tool that what the user said names (by its name, or a word of it). */
export function toolNamedIn(said: string, tools: readonly OfferedTool[]): OfferedTool | undefined {
  const text = said.toLowerCase();
  return tools.find((tool) => {
    if ((tool.type !== 'function' && tool.type !== 'custom') || !tool.name) return false;
    if (text.includes(tool.name.toLowerCase())) return true;
    return nameWords(tool.name).some((word) => new RegExp(`\\b${word}`).test(text));
  });
}

/** Arguments for a tool, from its JSON Schema: a number or a quoted word the user said, else a placeholder of the type. */
export function argumentsFor(tool: OfferedTool, said: string): Record<string, unknown> {
  const properties = tool.parameters?.properties ?? {};
  const quoted = [...said.matchAll(/"([^"]+)"|'([^']+)'/g)].map((match) => match[1] ?? match[2]!);
  const numbers = [...said.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  const args: Record<string, unknown> = {};
  for (const name of tool.parameters?.required ?? []) {
    const schema = properties[name] ?? {};
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (schema.enum && schema.enum.length > 0) args[name] = schema.enum[0];
    else if (type === 'number' || type === 'integer') args[name] = numbers.shift() ?? 1;
    else if (type === 'boolean') args[name] = true;
    else if (type === 'array') args[name] = [];
    else if (type === 'object') args[name] = {};
    else args[name] = quoted.shift() ?? (numbers.length > 0 ? String(numbers.shift()) : 'example');
  }
  return args;
}
