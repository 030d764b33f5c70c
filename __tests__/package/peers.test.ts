/**
 * rxjs and zod are peer dependencies: the app's own copies are used. Here the built package is installed in consumer
 * projects whose rxjs and zod are other versions than the library's (zod 3.25 through `zod/v4`, zod 4.1; rxjs 7.8.1,
 * installed offline as aliased dev dependencies), and a strict TypeScript consumer with the README's kind of zod tool
 * must type-check in reasonable time and run: one copy of each, the tool's schema sent, its handler typed and called.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, run, scratchDir, typeCheck } from './scratch';

let work: string;
let built: string;

beforeAll(async () => {
  work = scratchDir('peers-');
  built = join(work, 'built');
  await run(process.execPath, [join(root, 'scripts', 'build.mjs'), join(built, 'dist')], { cwd: root });
  cpSync(join(root, 'package.json'), join(built, 'package.json'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A consumer project: its own zod and rxjs (links to the aliased installs) and a copy of the built package. */
function consumer(name: string, zod: string, rxjs: string): string {
  const project = join(work, name);
  const modules = join(project, 'node_modules');
  mkdirSync(modules, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name, private: true }));
  symlinkSync(join(root, 'node_modules', zod), join(modules, 'zod'), 'dir');
  symlinkSync(join(root, 'node_modules', rxjs), join(modules, 'rxjs'), 'dir');
  // A copy, not a link: Node resolves a link to its real path, where the consumer's zod and rxjs are out of reach.
  cpSync(built, join(modules, 'rx-responses'), { recursive: true });
  return project;
}

const CONSUMER = (zodImport: string) => `
import { z } from '${zodImport}';
import { lastValueFrom, of, toArray } from 'rxjs';
import { defineTool, LLMContext, LLMContextFrame, OpenAIResponsesLLMService, type Frame } from 'rx-responses';
import { FakeResponsesServer, functionCallResponse, textResponse } from 'rx-responses/testing';

const weather = defineTool({
  name: 'get_weather',
  description: 'Weather forecast',
  parameters: z.object({ city: z.string(), days: z.number().int() }),
  handler: ({ arguments: { city, days } }) => \`\${city.toUpperCase()}: cold for \${days.toFixed(0)} days\`,
});

async function main(): Promise<void> {
  const server = await FakeResponsesServer.start({
    replies: [
      { kind: 'stream', events: functionCallResponse([{ name: 'get_weather', arguments: { city: 'Oslo', days: 2 }, callId: 'c1' }]) },
      { kind: 'stream', events: textResponse('Cold.') },
    ],
  });
  // Under exactOptionalPropertyTypes, as strict apps set it: an option may be given as possibly undefined.
  const apiKey: string | undefined = process.env.CONSUMER_KEY ?? 'sk-test';
  const llm = new OpenAIResponsesLLMService({ apiKey, baseURL: server.baseURL, maxRetries: 0 });
  llm.registerTool(weather);
  const input$ = of<Frame>(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Weather?' }], [weather]) }));
  const frames: Frame[] = await lastValueFrom(input$.pipe(llm.operator(), toArray()));
  await server.close();
  const library = require.resolve('rx-responses');
  console.log(JSON.stringify({
    text: frames.flatMap((frame) => (frame.type === 'LLMTextFrame' ? [frame.text] : [])).join(''),
    errors: frames.flatMap((frame) => (frame.type === 'ErrorFrame' ? [frame.error] : [])),
    parameters: (server.requests[0]?.body?.tools as { parameters: unknown }[])[0]?.parameters,
    output: (server.requests[1]?.body?.input as { type: string; output?: string }[]).find((item) => item.type === 'function_call_output')?.output,
    zod: require(require.resolve('zod/package.json', { paths: [library] })).version,
    rxjs: require(require.resolve('rxjs/package.json', { paths: [library] })).version,
  }));
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe.each([
  ['zod 3.25 through zod/v4', 'zod-3-25', 'zod/v4', '3.25.76'],
  ['zod 4.1', 'zod-4-1', 'zod', '4.1.13'],
])('an app on %s and rxjs 7.8.1', (_name, zodAlias, zodImport, zodVersion) => {
  it('type-checks the README kind of zod tool, runs it, and the library uses the app’s zod and rxjs', async () => {
    const project = consumer(zodAlias, zodAlias, 'rxjs-7-8-1');
    writeFileSync(join(project, 'consumer.ts'), CONSUMER(zodImport));
    const config = { compilerOptions: { strict: true, exactOptionalPropertyTypes: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', types: ['node'], outDir: 'out' }, files: ['consumer.ts'] };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(config));
    expect(await typeCheck(join(project, 'tsconfig.json'))).toBe('ok');
    const { stdout } = await run(process.execPath, [join(project, 'out', 'consumer.js')], { cwd: project, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({
      text: 'Cold.',
      errors: [],
      parameters: expect.objectContaining({ type: 'object', properties: { city: { type: 'string' }, days: expect.objectContaining({ type: 'integer' }) }, required: ['city', 'days'] }),
      output: 'OSLO: cold for 2 days',
      zod: zodVersion,
      rxjs: '7.8.1',
    });
  }, 180_000);
});
