/**
 * What the package tests share: a scratch folder under the project's `node_modules/.cache` (so code there finds the
 * project's dependencies, as an install would) and a `tsc` run that reports its errors instead of throwing.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The project's root folder. */
export const root = resolve(__dirname, '../..');

/** The TypeScript compiler's entry script, to run with `process.execPath`. */
export const tsc = require.resolve('typescript/bin/tsc');

/** Runs a program to completion; rejects with its output on a non-zero exit. */
export const run = promisify(execFile);

/** A new empty folder under `node_modules/.cache`, named after `prefix`; the caller removes it. */
export function scratchDir(prefix: string): string {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, prefix));
}

/** `tsc -p project` (from the project root): `'ok'`, or the errors it printed. */
export function typeCheck(project: string): Promise<string> {
  return run(process.execPath, [tsc, '-p', project], { cwd: root }).then(
    () => 'ok',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
}
