/**
 * The page of the browser test, bundled by esbuild for the browser: the library as an Angular or browser app uses it,
 * through a same-origin proxy (the page never holds a real key). Exposes its scenarios on `window.rx`.
 */
import OpenAI from 'openai';
import { Subject, lastValueFrom, of, toArray } from 'rxjs';
import { InterruptionFrame, LLMContext, LLMContextFrame, LLMTextFrame, OpenAIResponsesLLMService, type Frame } from '../../src';

/** The page's globals, typed here: the project compiles without the DOM library, so the library cannot lean on it. */
const page = globalThis as unknown as { location: { origin: string }; rx?: unknown };

function service(): OpenAIResponsesLLMService {
  // The browser opt-in is the app's, on its own client: the key here is a placeholder the proxy replaces.
  const client = new OpenAI({ apiKey: 'proxy-adds-the-key', baseURL: `${page.location.origin}/v1`, dangerouslyAllowBrowser: true });
  return new OpenAIResponsesLLMService({ client, maxRetries: 0 });
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

page.rx = { chat, interrupt };
