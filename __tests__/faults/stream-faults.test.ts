import { LLMIncompleteError, LLMStreamError, type ErrorFrame } from '../../src';
import { ResponseScript, textResponse, type FakeReply } from '../../src/testing';
import { useFakeServer } from '../support/harness';
import { expectNextContextWorks, runFault } from './support';

const fake = useFakeServer('sk-faults-stream-0123456789');
const errorsOf = (frames: readonly { type: string }[]) => frames.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');

describe('mid-stream faults: the text before the fault is kept, one ErrorFrame says what happened, the next context works', () => {
  const cases: [string, FakeReply, string, RegExp | null, (new (...args: never[]) => Error) | null][] = [
    [
      'malformed JSON in a data: line',
      { kind: 'raw', chunks: [sse(textResponse('Hi')[0]!), 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta",\n\n'] },
      '',
      /^LLM stream error: malformed event data/,
      LLMStreamError,
    ],
    ['an error event', { kind: 'stream', events: new ResponseScript().text(['Hal', 'f']).error('Overloaded', 'server_error') }, 'Half', /^LLM stream error: Overloaded$/, LLMStreamError],
    ['response.failed', { kind: 'stream', events: new ResponseScript().text('Half').failed('Model crashed') }, 'Half', /^LLM response failed: Model crashed$/, LLMStreamError],
    ['response.incomplete', { kind: 'stream', events: new ResponseScript().text(['Cut ', 'short']).incomplete('max_output_tokens') }, 'Cut short', /^LLM response incomplete: max_output_tokens$/, LLMIncompleteError],
    ['the connection dropped', { kind: 'stream', events: textResponse(['a', 'b', 'c', 'd']), dropAfter: 6 }, 'ab', /^LLM stream error: connection dropped/, LLMStreamError],
    ['a stream that ends without response.completed', { kind: 'stream', events: new ResponseScript().text('Partial').cutOff() }, 'Partial', /^LLM stream ended before the response completed$/, LLMStreamError],
    ['an unknown event type (ignored, not an error)', { kind: 'stream', events: new ResponseScript().event({ type: 'response.brand_new_thing', x: 1 }).text('Fine').completed() }, 'Fine', null, null],
    [
      'a text delta for an item never added (forwarded: it is the model’s output)',
      {
        kind: 'stream',
        events: new ResponseScript()
          .event({ type: 'response.output_text.delta', item_id: 'msg_ghost', output_index: 0, content_index: 0, delta: 'Ghost', logprobs: [] })
          .completed(),
      },
      'Ghost',
      null,
      null,
    ],
    [
      'argument deltas for a call never added (ignored: nothing to run)',
      {
        kind: 'stream',
        events: new ResponseScript()
          .event({ type: 'response.function_call_arguments.delta', item_id: 'fc_ghost', output_index: 0, delta: '{}' })
          .event({ type: 'response.function_call_arguments.done', item_id: 'fc_ghost', output_index: 0, name: 'f', arguments: '{}' })
          .text('Done')
          .completed(),
      },
      'Done',
      null,
      null,
    ],
  ];

  it.each(cases)('%s', async (_name, reply, textBefore, message, errorClass) => {
    fake.server().enqueue(reply);
    const harness = await runFault(fake.service());
    expect(harness.text()).toBe(textBefore);
    const errors = errorsOf(harness.output);
    if (message === null) {
      expect(errors).toEqual([]);
      expect(harness.count('FunctionCallsStartedFrame')).toBe(0);
    } else {
      expect(errors).toHaveLength(1);
      expect(errors[0]!.error).toMatch(message);
      expect(errors[0]!.exception).toBeInstanceOf(errorClass!);
      expect(harness.types().indexOf('ErrorFrame')).toBeGreaterThan(harness.types().lastIndexOf('LLMTextFrame'));
    }
    await expectNextContextWorks(harness, fake.server());
  });
});

function sse(event: object & { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
