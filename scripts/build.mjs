/**
 * `npm run build`: one build, two formats. `dist/cjs` is CommonJS (tsc with tsconfig.build.json); `dist/esm` is ES
 * modules from the same sources (tsconfig.esm.json), with its relative imports given the file extensions Node's ESM
 * loader requires, and a package.json that marks the folder as ES modules. Declarations are emitted for both, so each
 * format has types of its own kind. `node scripts/build.mjs <folder>` builds into another folder (the package tests).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.argv[2] ?? 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(out, 'cjs')], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.esm.json', '--outDir', join(out, 'esm')], { cwd: root, stdio: 'inherit' });
writeFileSync(join(out, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
writeFileSync(join(out, 'esm', 'package.json'), `${JSON.stringify({ type: 'module', sideEffects: false })}\n`);

/** `from './x'`, `import('./x')`, `import './x'`, `export … from './x'`: the relative specifiers of a file. */
const RELATIVE = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*?)\2/g;

/** The specifier with the extension Node needs: `./x` → `./x.js`, a folder `./x` → `./x/index.js`. */
function withExtension(file, specifier, ext) {
  if (specifier.endsWith('.js')) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}${ext}`)) return `${specifier}.js`;
  if (existsSync(join(target, `index${ext}`))) return `${specifier}/index.js`;
  throw new Error(`build: cannot resolve ${specifier} from ${file}`);
}

function rewrite(folder) {
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    if (statSync(file).isDirectory()) rewrite(file);
    else {
      const ext = name.endsWith('.d.ts') ? '.d.ts' : name.endsWith('.js') ? '.js' : undefined;
      if (!ext) continue;
      const text = readFileSync(file, 'utf8');
      const fixed = text.replace(RELATIVE, (_all, lead, quote, specifier) => `${lead}${quote}${withExtension(file, specifier, ext)}${quote}`);
      if (fixed !== text) writeFileSync(file, fixed);
    }
  }
}
rewrite(join(out, 'esm'));
