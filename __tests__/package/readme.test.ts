/**
 * The README's code is checked: every TypeScript block type-checks against the library as it is. Each block becomes the
 * body of an async function (its import lines go; a prelude imports the library and declares the names the snippets
 * take as given, such as `llm` or `pair`), so a wrong name, a missing option or a changed signature fails here.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '../..');
const run = promisify(execFile);

/** The README's TypeScript blocks, with the line each starts on. */
function blocks(): { line: number; code: string }[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const found: { line: number; code: string }[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index] !== '```ts') continue;
    const end = lines.indexOf('```', index + 1);
    found.push({ line: index + 1, code: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  return found;
}

/** A block without its imports (the prelude has them); a multi-line import goes whole. */
function withoutImports(code: string): string {
  return code.replace(/^import[\s\S]*?from\s+['"][^'"]+['"];?\s*$/gm, '');
}

const PRELUDE = `
import * as fs from 'node:fs';
import OpenAI from 'openai';
import { filter, map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { z } from 'zod';
import { trace } from '@opentelemetry/api';
import {
  defineTool, FunctionSchema, InterruptionFrame, LLMContext, LLMContextAggregatorPair, LLMContextFrame, LLMSwitcher,
  LLMUpdateSettingsFrame, ManuallySwitchServiceFrame, NOT_GIVEN, OpenAILLMService, OpenAIResponsesLLMService,
  OpenAIResponsesLLMSettings, PipelineTask, TextFrame, ToolsSchema, pipeline, type Frame, type FunctionCallHandler,
} from '../../../src';
import { FakeResponsesServer, ResponseScript, recordingOpenStream, scriptedOpenStream, textResponse } from '../../../src/testing';
const { writeFileSync, readFileSync } = fs;
void [OpenAI, filter, map, TestScheduler, z, trace, defineTool, FunctionSchema, InterruptionFrame, LLMContext, LLMContextAggregatorPair,
  LLMContextFrame, LLMSwitcher, LLMUpdateSettingsFrame, ManuallySwitchServiceFrame, NOT_GIVEN, OpenAILLMService,
  OpenAIResponsesLLMService, OpenAIResponsesLLMSettings, PipelineTask, TextFrame, ToolsSchema, pipeline, FakeResponsesServer,
  ResponseScript, recordingOpenStream, scriptedOpenStream, textResponse, writeFileSync, readFileSync];
// The names the snippets take as given.
declare const llm: OpenAIResponsesLLMService;
declare const pair: LLMContextAggregatorPair;
declare const context: LLMContext;
declare const input$: Observable<Frame>;
declare const frames$: Observable<Frame>;
declare const primary: OpenAIResponsesLLMService;
declare const fallback: OpenAILLMService;
declare const getTime: FunctionCallHandler;
declare const bookingApi: { book(args: unknown): Promise<string> };
declare const flightsApi: { search(): Promise<unknown> };
declare const task: PipelineTask;
declare const location: { origin: string }; // the browser's, in the browser section
declare function forecast(city: string, days: number): Promise<string>;
void [llm, pair, context, input$, frames$, primary, fallback, getTime, bookingApi, flightsApi, forecast, task, location];
`;

describe('the README', () => {
  it('has TypeScript blocks to check', () => {
    expect(blocks().length).toBeGreaterThanOrEqual(15);
  });

  it('every TypeScript block type-checks against the library as it is', async () => {
    const cache = join(root, 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true });
    const work = mkdtempSync(join(cache, 'readme-'));
    try {
      const files = blocks().map(({ line, code }) => {
        const file = join(work, `readme-line-${line}.ts`);
        writeFileSync(file, `${PRELUDE}\nexport async function block(): Promise<void> {\n${withoutImports(code)}\n}\n`);
        return file;
      });
      const config = { extends: join(root, 'tsconfig.json'), compilerOptions: { noEmit: true, types: ['node', 'jest'] }, include: [], files };
      writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(config));
      const tsc = require.resolve('typescript/bin/tsc');
      const checked = await run(process.execPath, [tsc, '-p', join(work, 'tsconfig.json')], { cwd: root }).then(
        () => 'ok',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(checked).toBe('ok');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
