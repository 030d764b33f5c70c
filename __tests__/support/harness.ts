import { Subject, type OperatorFunction, type Subscription } from 'rxjs';
import { OpenAIResponsesLLMService, type Frame, type OpenAIResponsesLLMServiceOptions, type ServiceLogger } from '../../src';
import { FakeResponsesServer } from '../../src/testing';

/** A logger that records instead of printing, so tests can assert on what was logged. */
export function recordingLogger(): ServiceLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (message: string, ...details: unknown[]) => lines.push([message, ...details.map((d) => JSON.stringify(d))].join(' '));
  return { lines, warn: record, error: record };
}

/** Feeds frames into `llm.operator()` and records what comes out. */
export class OperatorHarness {
  readonly input = new Subject<Frame>();
  readonly output: Frame[] = [];
  readonly errors: unknown[] = [];
  completed = false;
  private readonly subscription: Subscription;

  constructor(llm: { operator(): OperatorFunction<Frame, Frame> }) {
    this.subscription = this.input.pipe(llm.operator()).subscribe({
      next: (frame) => this.output.push(frame),
      error: (error) => this.errors.push(error),
      complete: () => (this.completed = true),
    });
  }

  send(...frames: Frame[]): void {
    for (const frame of frames) this.input.next(frame);
  }

  /** Output frame types, in order. */
  types(): string[] {
    return this.output.map((frame) => frame.type);
  }

  /** The streamed text, joined. */
  text(): string {
    return this.output.map((frame) => (frame.type === 'LLMTextFrame' ? frame.text : '')).join('');
  }

  count(type: Frame['type']): number {
    return this.output.filter((frame) => frame.type === type).length;
  }

  errorMessages(): string[] {
    return this.output.flatMap((frame) => (frame.type === 'ErrorFrame' ? [frame.error] : []));
  }

  async waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out; output so far: ${this.types().join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Waits until `n` responses have ended. */
  async waitForEnds(n: number): Promise<void> {
    await this.waitFor(() => this.count('LLMFullResponseEndFrame') >= n);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/**
 * Starts a fresh fake server before each test and closes it after; call at the top of a test file.
 * Returns the current server and a service factory pointed at it (no retries, a recording logger).
 */
export function useFakeServer(apiKey: string) {
  let server: FakeResponsesServer;
  beforeEach(async () => {
    server = await FakeResponsesServer.start();
  });
  afterEach(async () => {
    await server.close();
  });
  return {
    server: () => server,
    service: (options: OpenAIResponsesLLMServiceOptions = {}) =>
      new OpenAIResponsesLLMService({ apiKey, baseURL: server.baseURL, maxRetries: 0, logger: recordingLogger(), ...options }),
  };
}
