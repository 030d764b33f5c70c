/**
 * `npm run build`: one build, two formats. `dist/cjs` is CommonJS (tsc with tsconfig.build.json); `dist/esm` is ES
 * modules from the same sources (tsconfig.esm.json), compiled through the TypeScript API with a transformer that gives
 * relative imports the file extensions Node's ESM loader requires (`./x` → `./x.js`, a folder → `./x/index.js`), in the
 * code and in the declarations, so the source maps stay exact. A package.json marks `dist/esm` as modules. Declarations
 * are emitted for both, so each format has types of its own kind. `node scripts/build.mjs <folder>` builds into another
 * folder (the package tests).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, process.argv[2] ?? 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(out, 'cjs')], { cwd: root, stdio: 'inherit' });
emitModules(join(out, 'esm'));
writeFileSync(join(out, 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
writeFileSync(join(out, 'esm', 'package.json'), `${JSON.stringify({ type: 'module', sideEffects: false })}\n`);

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
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.esm.json'), { outDir }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail([diagnostic]) });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const result = program.emit(undefined, undefined, undefined, false, { before: [completeSpecifiers], afterDeclarations: [completeSpecifiers] });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0 || result.emitSkipped) fail(diagnostics);
}

function fail(diagnostics) {
  const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
  process.exit(1);
}
