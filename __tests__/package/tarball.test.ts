/**
 * The tarball `npm publish` would upload, linted by publint (package.json against the files) and Are the Types Wrong
 * (types resolving under node10, node16 CommonJS and ESM, and bundler), through `lint-tarball.mjs`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Report {
  files: string[];
  size: number;
  unpackedSize: number;
  publint: unknown[];
  attw: unknown[];
}

let report: Report;

beforeAll(async () => {
  const script = join(__dirname, 'lint-tarball.mjs');
  // A non-zero exit still carries the report on stdout; the assertions below say what was wrong.
  const stdout = await run(process.execPath, [script], { maxBuffer: 16 * 1024 * 1024 }).then(
    (ok) => ok.stdout,
    (failed: { stdout?: string }) => failed.stdout ?? '',
  );
  report = JSON.parse(stdout) as Report;
}, 180_000);

describe('the published tarball', () => {
  it('has no publint message, not even a suggestion', () => {
    expect(report.publint).toEqual([]);
  });

  it('has types that resolve for every consumer Are the Types Wrong checks', () => {
    expect(report.attw).toEqual([]);
  });

  it('ships the three entry points with their types, the license and the changelog', () => {
    expect(report.files).toEqual(
      expect.arrayContaining([
        'dist/cjs/index.js',
        'dist/cjs/index.d.ts',
        'dist/cjs/testing/index.js',
        'dist/cjs/testing/index.d.ts',
        'dist/cjs/provider/index.js',
        'dist/cjs/provider/index.d.ts',
        'dist/esm/package.json',
        'dist/esm/index.js',
        'dist/esm/index.d.ts',
        'dist/esm/testing/index.js',
        'dist/esm/testing/index.d.ts',
        'dist/esm/provider/index.js',
        'dist/esm/provider/index.d.ts',
        'LICENSE',
        'CHANGELOG.md',
        'README.md',
        'package.json',
      ]),
    );
  });

  it('ships nothing but the build, the sources its maps point at, and the documents', () => {
    const stray = report.files.filter((file) => !file.startsWith('dist/') && !file.startsWith('src/') && !/^(LICENSE|CHANGELOG\.md|README\.md|package\.json)$/.test(file));
    expect(stray).toEqual([]);
    expect(report.files.filter((file) => file.startsWith('src/') && (!file.endsWith('.ts') || file.endsWith('.test.ts')))).toEqual([]);
    expect(report.files).toEqual(expect.arrayContaining(['src/index.ts', 'src/llm/operator.ts', 'dist/cjs/llm/operator.js.map']));
  });

  it('stays within its size budget: 330 kB packed, 2 MB unpacked (maps that embedded the sources again would add about 100 kB packed)', () => {
    expect(report.size).toBeLessThan(330_000);
    expect(report.unpackedSize).toBeLessThan(2_000_000);
  });
});
