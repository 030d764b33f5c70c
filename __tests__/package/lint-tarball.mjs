/**
 * Packs the package exactly as `npm publish` would (in a scratch folder, nothing written to the clone) and lints the
 * tarball with publint and Are the Types Wrong (its CLI, `attw`, as CI tools run it). Prints
 * `{ files, size, unpackedSize, publint, attw }` as JSON (the packed files, the tarball's bytes and the files' bytes, the
 * problems each tool found) and exits 1 when there is any problem. Run by
 * `__tests__/package/tarball.test.ts` and by `npm run check:package`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const stage = mkdtempSync(join(cache, 'tarball-'));

try {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), join(stage, 'dist')], { cwd: root });
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) copyFileSync(join(root, file), join(stage, file));
  cpSync(join(root, 'src'), join(stage, 'src'), { recursive: true });
  const npm = process.env.npm_execpath;
  const packArgs = ['pack', '--json', '--ignore-scripts', '--pack-destination', stage];
  const packed = npm && npm.endsWith('.js')
    ? execFileSync(process.execPath, [npm, ...packArgs], { cwd: stage, encoding: 'utf8' })
    : execFileSync('npm', packArgs, { cwd: stage, encoding: 'utf8' });
  const tarball = readFileSync(join(stage, JSON.parse(packed)[0].filename));

  const lint = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion' });
  const tarballPath = join(stage, JSON.parse(packed)[0].filename);
  const attwBin = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
  // attw exits 1 when it finds problems; its JSON report is on stdout either way.
  let report;
  try {
    report = execFileSync(process.execPath, [attwBin, tarballPath, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (failed) {
    report = failed.stdout;
  }
  const { analysis } = JSON.parse(report);
  const attw = analysis.types === false ? [{ kind: 'NoTypes' }] : analysis.problems;
  const { files, size, unpackedSize } = JSON.parse(packed)[0];
  process.stdout.write(JSON.stringify({ files: files.map((f) => f.path), size, unpackedSize, publint: lint.messages, attw }, null, 2));
  process.exitCode = lint.messages.length + attw.length > 0 ? 1 : 0;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
