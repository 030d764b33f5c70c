/**
 * The page of the browser test, bundled by esbuild for the browser: the library as an Angular or browser app uses it,
 * through a same-origin proxy (the page never holds a real key). Exposes its scenarios on `window.rx`.
 */
import { Subject, lastValueFrom, of, toArray } from 'rxjs';
import {
  InterruptionFrame,
  LLMContext,
  LLMContextAggregatorPair,
  LLMContextFrame,
  LLMFullResponseEndFrame,
  LLMFullResponseStartFrame,
  LLMTextFrame,
  OpenAIResponsesLLMService,
  TextFrame,
  type Frame,
  type OpenAIResponsesLLMServiceOptions,
} from '../../src';

/** The page's globals, typed here: the project compiles without the DOM library, so the library cannot lean on it. */
const page = globalThis as unknown as { location: { origin: string }; rx?: unknown };

function service(options: OpenAIResponsesLLMServiceOptions = {}): OpenAIResponsesLLMService {
  // The browser opt-in goes to the client the service builds: no openai import in the app. The key is a placeholder the proxy replaces.
  return new OpenAIResponsesLLMService({ apiKey: 'proxy-adds-the-key', baseURL: `${page.location.origin}/v1`, dangerouslyAllowBrowser: true, maxRetries: 0, ...options });
}

/** The texts of the answers, one string per answer. */
function answers(frames: readonly Frame[]): string[] {
  const texts: string[] = [];
  for (const frame of frames) {
    if (frame instanceof LLMFullResponseStartFrame) texts.push('');
    if (frame instanceof LLMTextFrame) texts[texts.length - 1] += frame.text;
  }
  return texts;
}

function contextFrame(text: string): LLMContextFrame {
  return new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });
}

async function chat(): Promise<{ types: string[]; text: string; hasProcess: boolean }> {
  const frames = await lastValueFrom(of<Frame>(contextFrame('Hi')).pipe(service().operator(), toArray()));
  return {
    types: frames.map((frame) => frame.type),
    text: frames.filter((frame): frame is LLMTextFrame => frame instanceof LLMTextFrame).map((frame) => frame.text).join(''),
    hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
  };
}

/** Starts a reply the server holds open, and interrupts it at its first text: the proxy and the server see the abort. */
async function interrupt(): Promise<string[]> {
  const input = new Subject<Frame>();
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    input.pipe(service().operator()).subscribe((frame) => {
      seen.push(frame.type);
      if (frame instanceof LLMTextFrame && seen.filter((type) => type === 'LLMTextFrame').length === 1) {
        input.next(new InterruptionFrame());
        resolve();
      }
    });
    input.next(contextFrame('Tell me a long story'));
  });
  return seen;
}

/** Resolves when `frames` holds `count` ends of answers. */
function ends(frames: readonly Frame[], count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (frames.filter((frame) => frame instanceof LLMFullResponseEndFrame).length >= count ? resolve() : setTimeout(check, 5));
    check();
  });
}

/**
 * The WebSocket transport on the browser's own `WebSocket`: two turns of a conversation on one connection, then an
 * answer interrupted at its first text, and one more turn, which must still work.
 */
async function webSocket(): Promise<{ answers: string[]; afterInterruption: string[] }> {
  const llm = service({ transport: 'websocket', webSocketDrainTimeoutMs: 100 });
  const pair = new LLMContextAggregatorPair(new LLMContext());
  const input = new Subject<Frame>();
  const frames: Frame[] = [];
  input.pipe(pair.user(), llm.operator(), pair.assistant()).subscribe((frame) => frames.push(frame));
  input.next(new TextFrame({ text: 'Hi' }));
  await ends(frames, 1);
  input.next(new TextFrame({ text: 'And then?' }));
  await ends(frames, 2);
  const before = frames.length;
  input.next(new TextFrame({ text: 'Tell me a long story' }));
  await new Promise<void>((resolve) => {
    const check = () => (frames.slice(before).some((frame) => frame instanceof LLMTextFrame) ? resolve() : setTimeout(check, 5));
    check();
  });
  input.next(new InterruptionFrame());
  input.next(new TextFrame({ text: 'Short, please' }));
  await ends(frames, 4);
  llm.close();
  return { answers: answers(frames.slice(0, before)), afterInterruption: answers(frames.slice(before)) };
}

page.rx = { chat, interrupt, webSocket };
