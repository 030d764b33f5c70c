/**
 * `npm run build`: one build, two formats. `dist/cjs` is CommonJS (tsc with tsconfig.build.json); `dist/esm` is ES
 * modules from the same sources (tsconfig.esm.json), compiled through the TypeScript API with a transformer that gives
 * relative imports the file extensions Node's ESM loader requires (`./x` → `./x.js`, a folder → `./x/index.js`), in the
 * code, so the source maps stay exact. A package.json marks `dist/esm` as modules. The code is emitted without comments,
 * its source maps pointing at the sources shipped in `src/`; the declarations (with their TSDoc) are emitted once, with
 * the CommonJS build, and each ES module entry point's declarations re-export them. `node scripts/build.mjs <folder>`
 * builds into another folder (the package tests).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The package's entry points (see package.json's exports), without extension. */
const ENTRY_POINTS = ['index', 'testing/index', 'provider/index'];
const out = resolve(root, process.argv[2] ?? 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
// The declarations keep their TSDoc; the code goes without comments (its source maps lead to the shipped sources in src/).
const cjs = join(out, 'cjs');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', cjs, '--emitDeclarationOnly'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', cjs, '--declaration', 'false', '--removeComments'], { cwd: root, stdio: 'inherit' });
emitModules(join(out, 'esm'));
pointMapsAtShippedSources(out);
// One set of declarations: each ES module entry point's types are those of the CommonJS build (the same classes, so a
// value from either build fits the other's types).
for (const entry of ENTRY_POINTS) {
  const depth = entry.split('/').length - 1;
  writeFileSync(join(out, 'esm', `${entry}.d.ts`), `export * from '${'../'.repeat(depth + 1)}cjs/${entry}.js';\n`);
}
writeFileSync(join(out, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
writeFileSync(join(out, 'esm', 'package.json'), `${JSON.stringify({ type: 'module', sideEffects: false })}\n`);

/**
 * Makes every source map name its source as the package ships it: `src/` beside the build folder (the package's own
 * `src/`, or a copy of it where a test installs the package), whatever folder the build was written to.
 */
function pointMapsAtShippedSources(folder) {
  const shipped = join(dirname(folder), 'src');
  const maps = readdirSync(folder, { recursive: true }).filter((name) => name.endsWith('.js.map'));
  for (const name of maps) {
    const file = join(folder, name);
    const map = JSON.parse(readFileSync(file, 'utf8'));
    map.sources = map.sources.map((source) => relative(dirname(file), join(shipped, relative(join(root, 'src'), resolve(dirname(file), map.sourceRoot ?? '', source)))).split(sep).join('/'));
    delete map.sourceRoot;
    writeFileSync(file, JSON.stringify(map));
  }
}

/** The specifier with the extension Node needs, resolved against the source file that holds it. */
function withExtension(sourceFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  if (specifier.endsWith('.js')) return specifier;
  const target = resolve(dirname(sourceFile), specifier);
  if (existsSync(`${target}.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.ts'))) return `${specifier}/index.js`;
  throw new Error(`build: cannot resolve ${specifier} from ${sourceFile}`);
}

/** A transformer that rewrites the relative specifiers of imports, exports and `import("…")` types. */
function completeSpecifiers(context) {
  const { factory } = context;
  return (sourceFile) => {
    const fileName = sourceFile.fileName;
    const literal = (node) => factory.createStringLiteral(withExtension(fileName, node.text));
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateImportDeclaration(node, node.modifiers, node.importClause, literal(node.moduleSpecifier), node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, literal(node.moduleSpecifier), node.attributes);
      }
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const argument = factory.updateLiteralTypeNode(node.argument, literal(node.argument.literal));
        return factory.updateImportTypeNode(node, argument, node.attributes, node.qualifier, node.typeArguments, node.isTypeOf);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sourceFile, visit);
  };
}

/** tsconfig.esm.json, emitted into `outDir` with the specifiers completed; fails on any diagnostic. */
function emitModules(outDir) {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.esm.json'), { outDir, declaration: false, removeComments: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]) });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const result = program.emit(undefined, undefined, undefined, false, { before: [completeSpecifiers] });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0 || result.emitSkipped) fail(diagnostics);
}

function fail(diagnostics) {
  const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}
