/**
 * The provider contract: the core runs a provider written here, in a few lines, with no change to `src/llm` — the proof
 * that a third provider is a folder. Brackets, metrics, function-call rounds, cancellation, failures and settings all
 * come from the core; the provider only opens its events and maps each one.
 */
import { finalize, from, NEVER, Observable, Subject, throwError } from 'rxjs';
import { InterruptionFrame, LLMContext, LLMContextFrame, LLMStreamError, LLMTextFrame, LLMUpdateSettingsFrame, NOT_GIVEN, RxResponsesError, type Frame } from '../src';
import { defineSettings, LLM_SETTING_RULES, LLMService, type LLMProvider, type LLMSettingsValues, type ResolvedSettingsOf } from '../src/provider';

// ---- The provider: about 30 lines, as a third party would write it. ----
type EchoEvent = { readonly text: string } | { readonly call: { readonly id: string; readonly name: string; readonly args: string } } | { readonly end: 'done' | 'failed' };
type EchoSettings = ResolvedSettingsOf<LLMSettingsValues>;

class EchoProvider implements LLMProvider<EchoEvent, EchoSettings> {
  readonly system = 'echo';
  readonly requests: { readonly model: string; readonly messages: number }[] = [];
  constructor(private readonly streams: Observable<EchoEvent>[]) {}
  openEvents(context: LLMContext, settings: EchoSettings): Observable<EchoEvent> {
    this.requests.push({ model: settings.model, messages: context.messages.length });
    return this.streams.shift() ?? throwError(() => new Error('nothing scripted'));
  }
  isOutputEvent(): boolean {
    return true;
  }
  mapEvent(event: EchoEvent, response: Parameters<LLMProvider<EchoEvent, EchoSettings>['mapEvent']>[1], emit: (frame: Frame) => void): void {
    if ('text' in event) emit(new LLMTextFrame({ text: event.text }));
    else if ('call' in event) response.functionCalls.set(event.call.id, { itemId: event.call.id, callId: event.call.id, name: event.call.name, arguments: event.call.args, done: true });
    else {
      response.finished = true;
      if (event.end === 'failed') response.error = new LLMStreamError('echo failed');
    }
  }
  toError(error: unknown): RxResponsesError {
    return error instanceof RxResponsesError ? error : new LLMStreamError(`echo: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const echoSettings = defineSettings<LLMSettingsValues>(LLM_SETTING_RULES, {
  model: 'echo-1', systemInstruction: NOT_GIVEN, temperature: NOT_GIVEN, topP: NOT_GIVEN, frequencyPenalty: NOT_GIVEN,
  presencePenalty: NOT_GIVEN, seed: NOT_GIVEN, maxCompletionTokens: NOT_GIVEN, extra: NOT_GIVEN,
});

class EchoService extends LLMService<LLMSettingsValues, EchoEvent> {
  protected readonly provider: EchoProvider;
  constructor(streams: Observable<EchoEvent>[]) {
    super('EchoService', echoSettings, { logger: { warn: () => undefined, error: () => undefined } });
    this.provider = new EchoProvider(streams);
  }
  get requests() {
    return this.provider.requests;
  }
  protected credentials(): readonly string[] {
    return [];
  }
}
// ---- End of the provider. ----

const ask = (text: string) => new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: text }]) });
const types = (frames: readonly Frame[]) => frames.map((frame) => (frame.type === 'MetricsFrame' ? `Metrics:${frame.data.map((data) => data.kind).join(',')}` : frame.type === 'LLMTextFrame' ? `"${frame.text}"` : frame.type));

function run(service: EchoService, input: Observable<Frame>): Frame[] {
  const output: Frame[] = [];
  input.pipe(service.operator()).subscribe({ next: (frame) => output.push(frame), error: (error: unknown) => output.push({ type: 'ErrorFrame', error: `the stage errored: ${String(error)}` } as Frame) });
  return output;
}

describe('the core runs any provider that implements the contract', () => {
  it('brackets a response and adds TTFB, TTFAT, processing time and End around the provider\'s content', () => {
    const llm = new EchoService([from([{ text: 'Hel' }, { text: 'lo' }, { end: 'done' }] as EchoEvent[])]);
    expect(types(run(llm, from([ask('Hi')])))).toEqual(['LLMFullResponseStartFrame', 'Metrics:ttfb', 'Metrics:ttfat', '"Hel"', '"lo"', 'Metrics:processing', 'LLMFullResponseEndFrame']);
  });

  it('runs the calls the provider recorded, writes them into the context and asks again with the results', async () => {
    const llm = new EchoService([from([{ call: { id: 'c1', name: 'now', args: '{}' } }, { end: 'done' }] as EchoEvent[]), from([{ text: 'Noon' }, { end: 'done' }] as EchoEvent[])]);
    llm.registerFunction('now', () => '12:00');
    const output = run(llm, from([ask('Time?')]));
    // A handler's plain value is answered through a Promise: one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(types(output).filter((type) => !type.startsWith('Metrics'))).toEqual([
      'LLMFullResponseStartFrame', 'LLMFullResponseEndFrame', 'FunctionCallsStartedFrame', 'FunctionCallInProgressFrame', 'FunctionCallResultFrame',
      'LLMFullResponseStartFrame', '"Noon"', 'LLMFullResponseEndFrame',
    ]);
    // The follow-up request carries the user's message, the call and its output.
    expect(llm.requests.map((request) => request.messages)).toEqual([1, 3]);
  });

  it('a failure the provider records, or throws, is a typed ErrorFrame inside the brackets; the next context works', () => {
    const llm = new EchoService([from([{ text: 'a' }, { end: 'failed' }] as EchoEvent[]), throwError(() => new Error('socket closed')), from([{ text: 'ok' }, { end: 'done' }] as EchoEvent[])]);
    const output = run(llm, from([ask('1'), ask('2'), ask('3')]));
    const errors = output.flatMap((frame) => (frame.type === 'ErrorFrame' ? [frame.error] : []));
    expect(errors).toEqual(['echo failed', 'echo: socket closed']);
    expect(types(output).slice(-3)).toEqual(['"ok"', 'Metrics:processing', 'LLMFullResponseEndFrame']);
  });

  it('an interruption unsubscribes the provider\'s events (its request is aborted) and the core closes the open response', () => {
    let aborted = 0;
    const llm = new EchoService([new Observable<EchoEvent>((subscriber) => subscriber.next({ text: 'long' })).pipe(finalize(() => aborted++))]);
    const input = new Subject<Frame>();
    const output = run(llm, input);
    input.next(ask('Tell me a story'));
    input.next(new InterruptionFrame());
    expect(aborted).toBe(1);
    expect(types(output).slice(-2)).toEqual(['LLMFullResponseEndFrame', 'InterruptionFrame']);
  });

  it('settings frames reach the next request the provider opens', () => {
    const llm = new EchoService([from([{ text: 'a' }, { end: 'done' }] as EchoEvent[]), NEVER]);
    run(llm, from([ask('1'), new LLMUpdateSettingsFrame({ delta: { model: 'echo-2' } }), ask('2')]));
    expect(llm.requests.map((request) => request.model)).toEqual(['echo-1', 'echo-2']);
  });
});
