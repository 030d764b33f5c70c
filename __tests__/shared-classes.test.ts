/**
 * Two copies of the package in one app (the ES module build through `import`, the CommonJS build through a dependency's
 * `require`) have two sets of classes. Here the second copy is the same sources loaded again in isolation.
 */
import { lastValueFrom, of, throwError, toArray } from 'rxjs';
import * as here from '../src';
import { scriptedOpenStream, textResponse } from '../src/testing';

let other: typeof here;
jest.isolateModules(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  other = require('../src') as typeof here;
});

/** Every class the package exports from its root. */
const exportedClasses = Object.entries(here).filter(([, value]) => typeof value === 'function' && /^class /.test(Function.prototype.toString.call(value)));

describe('classes shared across copies of the package', () => {
  it('the second copy is really another copy', () => {
    expect(other.LLMTextFrame).not.toBe(here.LLMTextFrame);
    expect(exportedClasses.length).toBeGreaterThan(40);
  });

  it.each(exportedClasses.map(([name]) => [name]))('%s answers instanceof for instances of the other copy', (name) => {
    const Class = here[name as keyof typeof here] as unknown as { prototype: object; [Symbol.hasInstance](value: unknown): boolean };
    const Other = other[name as keyof typeof here] as unknown as { prototype: object };
    // Made without a constructor call: some constructors need arguments; the prototype chain is what counts.
    const foreign = Object.create(Other.prototype) as object;
    expect(foreign instanceof (Class as unknown as new () => unknown)).toBe(true);
  });

  it('keeps classes apart: a frame of one type is not an instance of another', () => {
    const text = new other.LLMTextFrame({ text: 'hi' });
    expect(text instanceof here.LLMTextFrame).toBe(true);
    expect(text instanceof here.FrameBase).toBe(true);
    expect(text instanceof here.TextFrame).toBe(false);
    expect(text instanceof here.ErrorFrame).toBe(false);
    expect({ type: 'LLMTextFrame', text: 'hi' } instanceof here.LLMTextFrame).toBe(false);
    expect(new here.LLMTextFrame({ text: 'hi' }) instanceof other.LLMTextFrame).toBe(true);
  });

  it('errors of the other copy are caught by this copy`s classes, down to the base', () => {
    const error = new other.LLMRequestError('LLM request failed', { status: 429 });
    expect(error instanceof here.LLMRequestError).toBe(true);
    expect(error instanceof here.RxResponsesError).toBe(true);
    expect(error instanceof here.LLMStreamError).toBe(false);
    expect(error instanceof Error).toBe(true);
  });

  it("a service of one copy answers the other copy's frames, contexts and tool schemas", async () => {
    const llm = new here.OpenAIResponsesLLMService({ openStream: scriptedOpenStream([textResponse('Across copies')]) });
    const tools = new other.ToolsSchema({ standardTools: [new other.FunctionSchema({ name: 'now', description: 'The time', properties: {}, required: [] })] });
    const context = new other.LLMContext([{ role: 'user', content: 'Hi' }], tools);
    const frames = await lastValueFrom(of(new other.LLMContextFrame({ context })).pipe(llm.operator(), toArray()));
    expect(frames.filter((frame) => frame instanceof other.LLMTextFrame).map((frame) => (frame as here.LLMTextFrame).text)).toEqual(['Across copies']);
    expect(frames.filter((frame) => frame.type === 'ErrorFrame')).toEqual([]);
  });

  it("a switcher of one copy runs the other copy's services, failing over between them (the turn core is found by a shared symbol)", async () => {
    const first = new other.OpenAIResponsesLLMService({ openStream: scriptedOpenStream([throwError(() => new Error('down'))]), maxRetries: 0 });
    const second = new here.OpenAIResponsesLLMService({ openStream: scriptedOpenStream([textResponse('From the second')]) });
    const switcher = new here.LLMSwitcher({ services: [first, second] });
    const context = new here.LLMContext([{ role: 'user', content: 'Hi' }]);
    const frames = await lastValueFrom(of(new here.LLMContextFrame({ context })).pipe(switcher.operator(), toArray()));
    expect(frames.filter((frame) => frame.type === 'LLMTextFrame').map((frame) => (frame as here.LLMTextFrame).text)).toEqual(['From the second']);
    expect(switcher.activeService).toBe(second);
  });
});
