/**
 * The library in real headless Chromium (Debian's `chromium`, installed by `install-chromium.sh` when missing): its ES
 * module build (`npm run build`'s `dist/esm`), bundled by esbuild for the browser, talking to the fake server through a same-origin proxy that adds the key, as an
 * Angular or browser app would. Proves: no Node globals needed, streaming over the browser's fetch, and an interruption
 * that really aborts the request (the proxy and the server see the connection close).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeResponsesServer, ResponseScript, textResponse } from '../../src/testing';
import { root, run, scratchDir } from '../package/scratch';

const SERVER_SIDE_KEY = 'sk-held-by-the-proxy';

/** What page.ts puts on the page (reached through globalThis: the project compiles without the DOM library). */
interface PageScenarios {
  rx: {
    chat(): Promise<{ types: string[]; text: string; hasProcess: boolean }>;
    interrupt(): Promise<string[]>;
    webSocket(): Promise<{ answers: string[]; afterInterruption: string[] }>;
  };
}

function chromiumPath(): string {
  const known = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));
  if (known) return known;
  execFileSync('bash', [join(__dirname, 'install-chromium.sh')], { stdio: 'inherit' });
  return '/usr/bin/chromium';
}

/** The package's build, in a scratch folder. */
let built: string;
/** The files the page's bundle was made of. */
let bundledFrom: string[];
let fake: FakeResponsesServer;
let site: Server;
let origin: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  // The page imports the library as the package's ES module build, as an app's bundler would get it through `import`.
  built = scratchDir('browser-');
  await run(process.execPath, [join(root, 'scripts', 'build.mjs'), built], { cwd: root });
  const asPackage: Plugin = {
    name: 'the built package',
    setup: (plugins) => plugins.onResolve({ filter: /^\.\.\/\.\.\/src$/ }, () => ({ path: join(built, 'esm', 'index.js') })),
  };
  const bundle = await build({ entryPoints: [join(__dirname, 'page.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent', plugins: [asPackage], metafile: true });
  bundledFrom = Object.keys(bundle.metafile.inputs);
  const script = bundle.outputFiles[0]!.text;
  fake = await FakeResponsesServer.start({
    replies: [
      { kind: 'stream', events: textResponse(['Hello', ' from', ' Chromium']) },
      { kind: 'stream', events: textResponse(['Once', ' upon', ' a time']), stallAfter: 5 },
      // The WebSocket scenario: two turns, an answer that stalls and is interrupted, one more turn.
      { kind: 'stream', events: new ResponseScript({ id: 'resp_ws_1' }).text(['Hello', ' over', ' WebSocket']).completed() },
      { kind: 'stream', events: textResponse(['Then', ' more']) },
      { kind: 'stream', events: textResponse(['Once', ' upon', ' a time']), stallAfter: 5 },
      { kind: 'stream', events: textResponse('Sure.') },
    ],
  });
  const upstream = new URL(fake.baseURL);
  site = createServer((req, res) => {
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/page.js"></script>');
    if (req.url === '/page.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    if (!req.url?.startsWith('/v1/')) return void res.writeHead(404).end();
    // The proxy: forwards /v1/* with the server-side key, and closes the upstream request when the page goes away.
    const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${SERVER_SIDE_KEY}` };
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    res.on('close', () => forward.destroy());
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  // The proxy's WebSocket side: the upgrade is forwarded with the server-side key, then bytes flow both ways; either
  // side closing closes the other.
  site.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/v1/')) return void socket.destroy();
    const forward = connect(Number(upstream.port), upstream.hostname, () => {
      const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${SERVER_SIDE_KEY}` };
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
      forward.write(`${req.method} ${req.url} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
      forward.write(head);
      socket.pipe(forward).pipe(socket);
    });
    socket.on('close', () => forward.destroy());
    forward.on('close', () => socket.destroy());
    socket.on('error', () => forward.destroy());
    forward.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--headless=new'] });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(origin);
  await page.waitForFunction(() => 'rx' in globalThis);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await fake?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('in headless Chromium', () => {
  it("bundles the package's ES module build, and no source file of the library", () => {
    expect(bundledFrom.some((file) => /\/esm\/services\/openai-responses\/service\.js$/.test(file))).toBe(true);
    expect(bundledFrom.filter((file) => file.startsWith('src/'))).toEqual([]);
  });

  it('streams a response through the proxy, with no Node globals in the page', async () => {
    const result = await page.evaluate(() => (globalThis as unknown as PageScenarios).rx.chat());
    expect(result.hasProcess).toBe(false);
    expect(result.text).toBe('Hello from Chromium');
    expect(result.types[0]).toBe('LLMFullResponseStartFrame');
    expect(result.types.at(-1)).toBe('LLMFullResponseEndFrame');
    expect(fake.requests[0]?.body?.input).toEqual([{ role: 'user', content: 'Hi', type: 'message' }]);
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${SERVER_SIDE_KEY}`);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it('aborts the request on an InterruptionFrame: the server sees the connection close', async () => {
    const types = await page.evaluate(() => (globalThis as unknown as PageScenarios).rx.interrupt());
    // The cut-off answer is closed, then the interruption passes on; metrics frames are left out of the comparison.
    expect(types.filter((type) => type !== 'MetricsFrame')).toEqual(['LLMFullResponseStartFrame', 'LLMTextFrame', 'LLMFullResponseEndFrame', 'InterruptionFrame']);
    await fake.waitFor(() => fake.abortedConnections >= 1, 10_000);
    expect(fake.abortedConnections).toBe(1);
    expect(fake.activeReplies).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 30_000);

  it("runs the WebSocket transport on the browser's own WebSocket: one connection, chained turns, interruption", async () => {
    const before = fake.requests.length;
    const result = await page.evaluate(() => (globalThis as unknown as PageScenarios).rx.webSocket());
    expect(result.answers).toEqual(['Hello over WebSocket', 'Then more']);
    // The interrupted answer is cut at its first text; the next turn still works.
    expect(result.afterInterruption).toEqual(['Once', 'Sure.']);
    const sent = fake.requests.slice(before);
    expect(sent.map((request) => request.method)).toEqual(['WS', 'WS', 'WS', 'WS']);
    // Only the proxy's key reached the server: the page's socket sends none.
    expect(sent.map((request) => request.headers.authorization)).toEqual(Array(4).fill(`Bearer ${SERVER_SIDE_KEY}`));
    // The second turn went on the same connection with only its new input.
    expect(sent[1]?.body).toMatchObject({ type: 'response.create', previous_response_id: 'resp_ws_1', input: [{ type: 'message', role: 'user', content: 'And then?' }] });
    // The turn after the interruption left the connection stuck behind the stalled answer: a new connection, whose old
    // one the server saw close (so it stops generating).
    expect(fake.webSocketConnections).toBe(2);
    await fake.waitFor(() => fake.abortedConnections >= 2 && fake.openWebSockets === 0, 10_000);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
