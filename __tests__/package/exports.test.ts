/**
 * The package as users get it: `npm run build`'s output, imported by name through the `exports` map, in plain Node
 * and by a strict TypeScript consumer with Node 16 module resolution.
 */
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { root, run, scratchDir, typeCheck } from './scratch';

// Under the project's node_modules, so the built package finds its dependencies (rxjs, openai, …) as an install would.
let work: string;
// Where the built package is installed, as `node_modules/rx-responses` of the consumer in `work`.
let installed: string;

beforeAll(async () => {
  work = scratchDir('package-test-');
  installed = join(work, 'node_modules', 'rx-responses');
  await run(process.execPath, [join(root, 'scripts', 'build.mjs'), join(installed, 'dist')], { cwd: root });
  copyFileSync(join(root, 'package.json'), join(installed, 'package.json'));
  cpSync(join(root, 'src'), join(installed, 'src'), { recursive: true });
  // The consumer's own package.json: without it, tools that look upwards past node_modules (esbuild) would take the
  // project's package.json for the consumer's and resolve `rx-responses` to the project itself.
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the built package', () => {
  it('streams a response through `rx-responses` from the fake server of `rx-responses/testing`, in plain Node', async () => {
    writeFileSync(
      join(work, 'consumer.js'),
      `
      const { LLMContext, LLMContextFrame, OpenAIResponsesLLMService } = require('rx-responses');
      const { FakeResponsesServer, textResponse } = require('rx-responses/testing');
      const { lastValueFrom, of, toArray } = require('rxjs');
      (async () => {
        const server = await FakeResponsesServer.start({ replies: [{ kind: 'stream', events: textResponse(['Hello', ' from dist']) }] });
        const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
        const context = new LLMContext([{ role: 'user', content: 'Hi' }]);
        const frames = await lastValueFrom(of(new LLMContextFrame({ context })).pipe(llm.operator(), toArray()));
        let internalsHidden = false;
        try { require('rx-responses/dist/index.js'); } catch (error) { internalsHidden = error.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED'; }
        await server.close();
        console.log(JSON.stringify({
          types: frames.map((frame) => frame.type),
          text: frames.filter((frame) => frame.type === 'LLMTextFrame').map((frame) => frame.text).join(''),
          requests: server.requests.map((request) => request.body.model),
          internalsHidden,
        }));
      })().catch((error) => { console.error(error); process.exit(1); });
      `,
    );
    const { stdout } = await run(process.execPath, ['consumer.js'], { cwd: work });
    const result = JSON.parse(stdout) as { types: string[]; text: string; requests: string[]; internalsHidden: boolean };
    expect(result.text).toBe('Hello from dist');
    expect(result.types[0]).toBe('LLMFullResponseStartFrame');
    expect(result.types.at(-1)).toBe('LLMFullResponseEndFrame');
    expect(result.requests).toEqual(['gpt-4.1']);
    expect(result.internalsHidden).toBe(true);
  }, 30_000);

  it('gives an ES module the ES module build and require the CommonJS one, and the two copies work together', async () => {
    writeFileSync(
      join(work, 'consumer.mjs'),
      `
      import { createRequire } from 'node:module';
      import { LLMContext, LLMContextFrame, LLMTextFrame, OpenAIResponsesLLMService } from 'rx-responses';
      import { FakeResponsesServer, textResponse } from 'rx-responses/testing';
      import { lastValueFrom, of, toArray } from 'rxjs';
      const require = createRequire(import.meta.url);
      const required = require('rx-responses');
      const server = await FakeResponsesServer.start({ replies: [{ kind: 'stream', events: textResponse(['ES', ' module']) }] });
      const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 });
      // A context frame of the CommonJS copy, answered by the ES module copy's service.
      const context = new required.LLMContext([{ role: 'user', content: 'Hi' }]);
      const frames = await lastValueFrom(of(new required.LLMContextFrame({ context })).pipe(llm.operator(), toArray()));
      await server.close();
      const texts = frames.filter((frame) => frame instanceof required.LLMTextFrame);
      console.log(JSON.stringify({
        esm: import.meta.resolve('rx-responses').includes('/dist/esm/'),
        cjs: require.resolve('rx-responses').includes('/dist/cjs/'),
        twoCopies: LLMTextFrame !== required.LLMTextFrame,
        text: texts.map((frame) => frame.text).join(''),
        sharedInstanceof: new required.LLMTextFrame({ text: 'x' }) instanceof LLMTextFrame && new LLMContext() instanceof required.LLMContext,
      }));
      `,
    );
    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: work });
    expect(JSON.parse(stdout)).toEqual({ esm: true, cjs: true, twoCopies: true, text: 'ES module', sharedInstanceof: true });
  }, 30_000);

  it('tree-shakes in a bundler: a browser bundle that imports only LLMContext leaves the openai SDK and the services out', async () => {
    const bundle = async (source: string) => {
      writeFileSync(join(work, 'entry.mjs'), source);
      const result = await build({ entryPoints: [join(work, 'entry.mjs')], bundle: true, platform: 'browser', format: 'esm', minify: true, write: false, logLevel: 'silent' });
      return result.outputFiles[0]!.text;
    };
    const small = await bundle(`import { LLMContext } from 'rx-responses'; console.log(new LLMContext().messages);`);
    const full = await bundle(`import { OpenAIResponsesLLMService } from 'rx-responses'; console.log(new OpenAIResponsesLLMService({ apiKey: 'x' }));`);
    // The SDK's own error text, and a service's: in the full bundle, not in the small one.
    for (const marker of ['dangerouslyAllowBrowser', 'OpenAIResponsesLLMService']) {
      expect(full).toContain(marker);
      expect(small).not.toContain(marker);
    }
    expect(small.length).toBeLessThan(full.length / 3);
  }, 60_000);

  it.each([
    ['node16 (the exports map)', { module: 'node16', moduleResolution: 'node16' }],
    ['node10 with CommonJS, as NestJS sets it (typesVersions)', { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }],
    ['bundler (Vite, esbuild, Angular)', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('type-checks a strict TypeScript consumer of both entry points under %s resolution', async (_name, resolution) => {
    writeFileSync(
      join(work, 'consumer.ts'),
      `
      import { OpenAIResponsesLLMService, type Frame } from 'rx-responses';
      import { FakeResponsesServer, textResponse } from 'rx-responses/testing';
      export async function check(): Promise<string> {
        const server = await FakeResponsesServer.start({ replies: [{ kind: 'stream', events: textResponse('Hi') }] });
        const llm = new OpenAIResponsesLLMService({ baseURL: server.baseURL, settings: OpenAIResponsesLLMService.Settings({ temperature: 0.2 }) });
        const frame: Frame | undefined = undefined;
        return llm.name + String(frame);
      }
      // A wrong option name must not type-check: the public types are real, not \`any\`.
      // @ts-expect-error unknown option
      new OpenAIResponsesLLMService({ apiKeyy: 'x' });
      `,
    );
    const config = { compilerOptions: { strict: true, noEmit: true, ...resolution, target: 'es2022', types: ['node'] }, files: ['consumer.ts'] };
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(config));
    expect(await typeCheck(join(work, 'tsconfig.json'))).toBe('ok');
  }, 60_000);

  it.each([
    ["the browser's WebSocket (the DOM library's type)", { lib: ['es2022', 'dom'], types: [] }, 'WebSocket'],
    ["the ws package's WebSocket", { lib: ['es2022'], types: ['node'] }, "(await import('ws')).WebSocket"],
  ])('accepts %s as webSocketClass', async (_name, environment, socketClass) => {
    writeFileSync(
      join(work, 'sockets.ts'),
      `
      import { OpenAIResponsesLLMService } from 'rx-responses';
      export async function make(): Promise<OpenAIResponsesLLMService> {
        return new OpenAIResponsesLLMService({ transport: 'websocket', webSocketClass: ${socketClass} });
      }
      `,
    );
    const config = { compilerOptions: { strict: true, noEmit: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', ...environment }, files: ['sockets.ts'] };
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify(config));
    expect(await typeCheck(join(work, 'tsconfig.json'))).toBe('ok');
  }, 60_000);

  it.each(['cjs', 'esm'])('ships %s source maps that point at the shipped sources (one copy, not embedded) and at the right lines', (format) => {
    const file = join(installed, 'dist', format, 'llm', 'operator.js');
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload;
    const source = readFileSync(join(root, 'src', 'llm', 'operator.ts'), 'utf8');
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources).toEqual(['../../../src/llm/operator.ts']);
    expect(readFileSync(join(dirname(file), map.sources[0]!), 'utf8')).toBe(source);
    // A line after the imports (whose specifiers the ES module build completes): found where it is in the source.
    const generatedLine = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.startsWith('class PipelineStage'));
    const entry = new SourceMap(map).findEntry(generatedLine, 0) as { originalLine?: number };
    expect(entry.originalLine).toBe(source.split('\n').findIndex((line) => line.startsWith('class PipelineStage')));
  });
});
