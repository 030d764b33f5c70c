/**
 * The demo in a real terminal: `script` (util-linux, on every Debian system) gives it a pseudo-terminal, and
 * @xterm/headless, a terminal emulator, renders what it prints, so the test reads the screen a person would see.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Terminal } from '@xterm/headless';

const root = join(__dirname, '..', '..');

/** The demo on a 100×40 pseudo-terminal, its output rendered by a terminal emulator. */
class DemoInATerminal {
  private readonly terminal = new Terminal({ cols: 100, rows: 40, allowProposedApi: true });
  private readonly child: ChildProcess;
  private raw = '';

  constructor() {
    const env = { ...process.env };
    delete env.OPENAI_API_KEY;
    const demo = `stty cols 100 rows 40; exec ${JSON.stringify(process.execPath)} -r ts-node/register/transpile-only demo/main.ts`;
    this.child = spawn('script', ['-qfec', demo, '/dev/null'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString();
      this.terminal.write(chunk);
    });
  }

  /** Keys, as a terminal sends them (Enter is `\r`). */
  type(keys: string): void {
    this.child.stdin!.write(keys);
  }

  /** The screen's lines, trailing spaces trimmed, empty lines left out. */
  async screen(): Promise<string[]> {
    await new Promise<void>((resolve) => this.terminal.write('', resolve));
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < buffer.length; row++) lines.push(buffer.getLine(row)?.translateToString(true) ?? '');
    return lines.filter((line) => line !== '');
  }

  /** Waits until the raw output (after `from` characters) matches. */
  async waitForOutput(pattern: RegExp, from = 0, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(this.raw.slice(from));
      if (found) return from + found.index + found[0].length;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${(await this.screen()).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** How much has been printed so far (a mark for `waitForOutput`). */
  get printed(): number {
    return this.raw.length;
  }

  /** Resolves with the exit code once the demo (and the terminal around it) exited, or null if it has not in time. */
  async exit(timeoutMs: number): Promise<number | null | 'still running'> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve('still running'), timeoutMs);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.terminal.dispose();
    this.child.kill();
    await new Promise((resolve) => this.child.once('close', resolve));
    this.terminal.dispose();
  }
}

describe('the demo in a terminal', () => {
  let demo: DemoInATerminal;
  afterEach(() => demo.close());

  it('the key that interrupts an answer starts the next line, and is not left behind on the answer', async () => {
    demo = new DemoInATerminal();
    await demo.waitForOutput(/you> /);
    demo.type('tell me a long story\r');
    const answering = await demo.waitForOutput(/assistant> \S/);
    // The first key typed while the answer streams interrupts it, then the rest of the line follows.
    demo.type('w');
    const interrupted = await demo.waitForOutput(/you> /, answering);
    demo.type('hat is 2*3?');
    await demo.waitForOutput(/\?/, interrupted);
    const screen = await demo.screen();
    // The cut-off answer is the line after the question (no word of the fake model's answer ends in "w").
    const answer = screen[screen.indexOf('you> tell me a long story') + 1];
    expect(answer).toMatch(/^assistant> You\b/);
    expect(answer?.trimEnd()).not.toMatch(/w$/);
    expect(screen.at(-1)).toBe('you> what is 2*3?');
    demo.type('\r');
    await demo.waitForOutput(/The tool says: 2\*3 = 6\./, interrupted);
    const after = await demo.screen();
    expect(after).toContain('  [calling calculate({"expression":"2*3"})]');
    expect(after.filter((line) => line.startsWith('  [interrupted'))).toEqual(['  [interrupted: the partial answer stays in the history]']);
  }, 60_000);

  it('Ctrl-D during an answer lets it finish, says bye, and exits', async () => {
    demo = new DemoInATerminal();
    await demo.waitForOutput(/you> /);
    demo.type('tell me a long story\r');
    const answering = await demo.waitForOutput(/assistant> \S/);
    demo.type('\x04');
    await demo.waitForOutput(/bye/, answering);
    expect(await demo.exit(10_000)).toBe(0);
    const screen = await demo.screen();
    // The answer was not interrupted: its summary line is there.
    expect(screen.some((line) => /^ {2}\[first text \d+ ms · \d+ tokens/.test(line))).toBe(true);
    expect(screen.filter((line) => line.startsWith('  [interrupted'))).toEqual([]);
  }, 60_000);
});
