/**
 * docs/ARCHITECTURE.md is checked against the code, and the code against the rules the page states: every path the map
 * names exists, every folder of src/ is on the map, no import cycle (type-only imports included), no file over 300
 * lines, at most five double casts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const PAGE = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');

/** Every file under a folder, relative to the project. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = join(folder, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

const SOURCES = filesUnder('src').filter((file) => file.endsWith('.ts'));
const FOLDERS = [...new Set(SOURCES.map((file) => dirname(file)))];

/** The paths the map (the code block under "The map") names, rebuilt from its indentation. */
function mapPaths(): string[] {
  const block = PAGE.slice(PAGE.indexOf('## The map'));
  const lines = block.slice(block.indexOf('```\n') + 4, block.indexOf('\n```', block.indexOf('```\n') + 4)).split('\n');
  const paths: string[] = [];
  const parents: string[] = [];
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    // Entries start in the name column; deeper-indented lines continue a description.
    if (indent >= 20 || !line.trim()) continue;
    const level = indent / 2;
    const names = line.trim().split(/\s{2,}/)[0]!.split(/,\s*/).filter((name) => /^[\w.-]+\/?$/.test(name));
    parents.length = level;
    for (const name of names) {
      const path = [...parents, name.replace(/\/$/, '')].join('/');
      paths.push(path);
      if (name.endsWith('/')) parents[level] = name.replace(/\/$/, '');
    }
  }
  return paths;
}

describe('docs/ARCHITECTURE.md', () => {
  const paths = mapPaths();

  it('its map names files and folders, each of which exists', () => {
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('every folder of src/ is on the map', () => {
    expect(FOLDERS.filter((folder) => !paths.includes(folder))).toEqual([]);
  });

  it('every src/ path named in its prose exists', () => {
    const named = [...PAGE.matchAll(/`(src\/[\w./-]+)`/g)].map((match) => match[1]!.replace(/\/$/, ''));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});

describe('the code keeps the shape the page describes', () => {
  /** Each source file's relative imports (type-only ones included), as files. */
  const imports = new Map(
    SOURCES.map((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/g)].map((match) => {
        const base = join(dirname(file), match[1]!);
        return existsSync(join(ROOT, `${base}.ts`)) ? `${base}.ts` : join(base, 'index.ts');
      });
      return [file, targets] as const;
    }),
  );

  it('has no import cycle, type-only imports included', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const target of imports.get(file) ?? []) {
        if (state.get(target) === 'visiting') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' -> '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of SOURCES) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
    // The check sees imports at all (a broken pattern would find no cycle in anything).
    expect(imports.get(join('src', 'llm', 'turn.ts'))).toContain(join('src', 'llm', 'response.ts'));
  });

  it('has no source file over 300 lines', () => {
    const long = SOURCES.map((file) => [relative(ROOT, join(ROOT, file)), readFileSync(join(ROOT, file), 'utf8').split('\n').length] as const).filter(([, lines]) => lines > 300);
    expect(long).toEqual([]);
  });

  it('has at most five double casts (as unknown as)', () => {
    const casts = SOURCES.flatMap((file) => readFileSync(join(ROOT, file), 'utf8').split('\n').filter((line) => line.includes('as unknown as')).map((line) => `${file}: ${line.trim()}`));
    expect(casts.length).toBeLessThanOrEqual(5);
  });
});
