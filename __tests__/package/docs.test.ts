/**
 * The README's and the docs' code is checked: every TypeScript block type-checks against the library as it is. Each block becomes the
 * body of an async function (its import lines go; a prelude imports the library and declares the names the snippets
 * take as given, such as `llm` or `pair`), so a wrong name, a missing option or a changed signature fails here.
 * Blocks marked ```` ```ts runnable ```` also run, as written, against the fake server (the `openai` package reads
 * `OPENAI_BASE_URL` and `OPENAI_API_KEY`), and must print what their `// prints "…"` comments say, or, without such
 * comments, the fake model's answer.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { FakeResponsesServer, textResponse } from '../../src/testing';
import { optionsTables, tablesInPage } from '../support/options-tables';
import { root, run, scratchDir, typeCheck } from './scratch';

/** The pages whose code is checked: the README and every page of docs/. */
const PAGES = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => join('docs', name))];

/** One TypeScript block: its page, the line it starts on, and whether it is marked runnable. */
interface Block {
  readonly page: string;
  readonly line: number;
  readonly code: string;
  readonly runnable: boolean;
}

/** Every page's TypeScript blocks. */
function blocks(): Block[] {
  const found: Block[] = [];
  for (const page of PAGES) {
    const lines = readFileSync(join(root, page), 'utf8').split('\n');
    for (let index = 0; index < lines.length; index++) {
      if (lines[index] !== '```ts' && lines[index] !== '```ts runnable') continue;
      const end = lines.indexOf('```', index + 1);
      found.push({ page, line: index + 1, code: lines.slice(index + 1, end).join('\n'), runnable: lines[index] === '```ts runnable' });
      index = end;
    }
  }
  return found;
}

/** A file name for a block: its page and line. */
const nameOf = (block: Block) => `${basename(block.page, '.md')}-line-${block.line}`;

/** The import statements of a block; a multi-line import is one statement. */
const IMPORTS = /^import[\s\S]*?from\s+['"][^'"]+['"];?\s*$/gm;

/** A block without its imports (the prelude has them). */
function withoutImports(code: string): string {
  return code.replace(IMPORTS, '');
}

/** A block as a script: its imports aimed at the sources, its body (top-level await and all) in an async function. */
function asScript(code: string): string {
  const imports = (code.match(IMPORTS) ?? []).map((statement) =>
    statement
      .replace(/(['"])rx-responses\/testing\1/, JSON.stringify(join(root, 'src', 'testing')))
      .replace(/(['"])rx-responses\/provider\1/, JSON.stringify(join(root, 'src', 'provider')))
      .replace(/(['"])rx-responses\1/, JSON.stringify(join(root, 'src'))),
  );
  return `${imports.join('\n')}\n(async () => {\n${withoutImports(code)}\n})().catch((error) => { console.error(error); process.exit(1); });\n`;
}

const PRELUDE = `
import * as fs from 'node:fs';
import { deepStrictEqual } from 'node:assert';
import OpenAI from 'openai';
import { WebSocket, WebSocketServer } from 'ws';
import { filter, lastValueFrom, map, of, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { z } from 'zod';
import { metrics, trace } from '@opentelemetry/api';
import * as v from 'valibot';
import { toStandardJsonSchema } from '@valibot/to-json-schema';
import type * as ArkType from 'arktype' with { 'resolution-mode': 'import' };
import type { FrameSink, LLMProvider, ResponseRecord } from '../../../src/provider';
import {
  defineTool, FunctionSchema, InterruptionFrame, LLMContext, LLMContextAggregatorPair, LLMContextFrame, LLMSwitcher,
  LLMUpdateSettingsFrame, ManuallySwitchServiceFrame, McpApprovalResponseFrame, UnhandledOutputItemError, NOT_GIVEN, OpenAILLMService, OpenAIResponsesLLMService,
  OpenAIResponsesLLMSettings, PipelineTask, RxResponsesError, TextFrame, ToolsSchema, pipeline, type Frame, type FunctionCallHandler,
  type McpApprovalRequestFrame,
} from '../../../src';
type _ProviderNames = [FrameSink, LLMProvider<unknown, { model: string }>, ResponseRecord, RxResponsesError];
import { FakeResponsesServer, ResponseScript, answerAfter, fakeModel, functionCallResponse, recordingOpenStream, scriptedOpenStream, textResponse } from '../../../src/testing';
const { writeFileSync, readFileSync } = fs;
void [deepStrictEqual, OpenAI, WebSocket, WebSocketServer, filter, lastValueFrom, map, of, toArray, TestScheduler, z, metrics, trace, v, toStandardJsonSchema, defineTool, FunctionSchema, InterruptionFrame, LLMContext, LLMContextAggregatorPair,
  LLMContextFrame, LLMSwitcher, LLMUpdateSettingsFrame, ManuallySwitchServiceFrame, McpApprovalResponseFrame, UnhandledOutputItemError, NOT_GIVEN, OpenAILLMService,
  OpenAIResponsesLLMService, OpenAIResponsesLLMSettings, PipelineTask, TextFrame, ToolsSchema, pipeline, FakeResponsesServer,
  ResponseScript, answerAfter, fakeModel, functionCallResponse, recordingOpenStream, scriptedOpenStream, textResponse, writeFileSync, readFileSync];
// The names the snippets take as given. ArkType is published only as ES modules, so its \`type\` is declared here.
declare const type: typeof ArkType.type;
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
declare const input: { next(frame: Frame): void };
declare const db: { query(sql: string): Promise<unknown> };
declare const sandbox: { run(action: unknown): Promise<unknown[]> };
declare const location: { origin: string }; // the browser's, in the browser section
declare function forecast(city: string, days: number): Promise<string>;
void [type, llm, pair, context, input$, frames$, primary, fallback, getTime, bookingApi, flightsApi, forecast, task, location];
`;

describe('the README and the docs', () => {
  it('have TypeScript blocks to check, on every page that shows code', () => {
    expect(blocks().length).toBeGreaterThanOrEqual(20);
    expect(new Set(blocks().map((block) => block.page)).size).toBeGreaterThanOrEqual(8);
  });

  it('the options tables are what the TSDoc says: every option documented with its @default (npm run docs:options)', () => {
    const { markdown, undocumented } = optionsTables();
    expect(undocumented).toEqual([]);
    expect(markdown).toContain('| `completionTimeoutMs` | `30000` |');
    expect(tablesInPage()).toBe(markdown);
  });

  it('every TypeScript block type-checks against the library as it is', async () => {
    const work = scratchDir('docs-');
    try {
      const files = blocks().map((block) => {
        const file = join(work, `${nameOf(block)}.ts`);
        const { code } = block;
        writeFileSync(file, `${PRELUDE}\nexport async function block(): Promise<void> {\n${withoutImports(code)}\n}\n`);
        return file;
      });
      const config = { extends: join(root, 'tsconfig.json'), compilerOptions: { noEmit: true, types: ['node', 'jest'], exactOptionalPropertyTypes: true }, include: [], files };
      writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(config));
      expect(await typeCheck(join(work, 'tsconfig.json'))).toBe('ok');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('every block marked runnable runs as written and prints the answer', async () => {
    const runnable = blocks().filter((block) => block.runnable);
    expect(runnable.length).toBeGreaterThanOrEqual(4);
    const work = scratchDir('docs-run-');
    const answer = 'Paris is the capital of France.';
    const server = await FakeResponsesServer.start({
      fallback: () => ({ kind: 'stream', events: textResponse(['Paris', ' is the capital', ' of France.']) }),
      keepAliveTimeoutMs: 100,
    });
    try {
      for (const block of runnable) {
        const { code } = block;
        const line = nameOf(block);
        const promised = [...code.matchAll(/\/\/ .*?prints "([^"]+)"/g)].map((match) => match[1]!);
        const outfile = join(work, `${line}.js`);
        await build({ stdin: { contents: asScript(code), resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile, logLevel: 'silent' });
        const env = { ...process.env, OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-readme-test' };
        const { stdout } = await run(process.execPath, [outfile], { cwd: root, env, timeout: 30_000 });
        for (const expected of promised.length > 0 ? promised : [answer]) expect({ line, stdout }).toEqual({ line, stdout: expect.stringContaining(expected) });
      }
      // Every block that does not bring its own server asked this one.
      const own = runnable.filter(({ code }) => code.includes('FakeResponsesServer.start')).length;
      expect(server.requests.length).toBeGreaterThanOrEqual(runnable.length - own);
    } finally {
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
