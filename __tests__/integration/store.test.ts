import { Subject } from 'rxjs';
import { LLMContext, LLMContextAggregatorPair, TextFrame, type Frame } from '../../src';
import { ResponseScript } from '../../src/testing';
import { useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-store-0123456789');
const answer = (id: string, text: string) => ({ kind: 'stream' as const, events: new ResponseScript({ id }).text(text).completed() });

/** A chat over the fake server with `store: true`; `say` waits for the answer. */
function storedChat() {
  const pair = new LLMContextAggregatorPair(new LLMContext());
  const input = new Subject<Frame>();
  let ends = 0;
  input.pipe(pair.user(), fake.service({ store: true }).operator(), pair.assistant()).subscribe((frame) => frame.type === 'LLMFullResponseEndFrame' && ends++);
  return {
    async say(text: string) {
      const before = ends;
      input.next(new TextFrame({ text }));
      await fake.server().waitFor(() => ends > before);
    },
    stop: () => input.complete(),
  };
}

describe('server-side state over HTTP (store: true)', () => {
  it('the second turn sends only its new input, chained with previous_response_id', async () => {
    fake.server().enqueue(answer('resp_1', 'Paris.'), answer('resp_2', 'Rome.'));
    const chat = storedChat();
    await chat.say('Capital of France?');
    await chat.say('And of Italy?');
    const [first, second] = fake.server().requests.map((request) => request.body!);
    expect(first).toMatchObject({ store: true, input: [{ type: 'message', role: 'user', content: 'Capital of France?' }] });
    expect(first).not.toHaveProperty('previous_response_id');
    expect(second).toMatchObject({ store: true, previous_response_id: 'resp_1', input: [{ type: 'message', role: 'user', content: 'And of Italy?' }] });
    chat.stop();
  });

  it('when the server lost the chain (previous_response_not_found), the same turn is sent again with the full input, once', async () => {
    fake.server().enqueue(
      answer('resp_1', 'Paris.'),
      { kind: 'http-error', status: 400, code: 'previous_response_not_found', message: "Previous response with id 'resp_1' not found." },
      answer('resp_2', 'Rome.'),
    );
    const chat = storedChat();
    await chat.say('Capital of France?');
    await chat.say('And of Italy?');
    const bodies = fake.server().requests.map((request) => request.body!);
    expect(bodies).toHaveLength(3);
    expect(bodies[1]).toMatchObject({ previous_response_id: 'resp_1' });
    expect(bodies[2]).not.toHaveProperty('previous_response_id');
    expect(bodies[2]?.input).toEqual([
      { type: 'message', role: 'user', content: 'Capital of France?' },
      { type: 'message', role: 'assistant', content: 'Paris.' },
      { type: 'message', role: 'user', content: 'And of Italy?' },
    ]);
    chat.stop();
  });

  it('without store, every request carries the whole conversation and store: false', async () => {
    fake.server().enqueue(answer('resp_1', 'Paris.'), answer('resp_2', 'Rome.'));
    const pair = new LLMContextAggregatorPair(new LLMContext());
    const input = new Subject<Frame>();
    let ends = 0;
    input.pipe(pair.user(), fake.service().operator(), pair.assistant()).subscribe((frame) => frame.type === 'LLMFullResponseEndFrame' && ends++);
    input.next(new TextFrame({ text: 'Capital of France?' }));
    await fake.server().waitFor(() => ends === 1);
    input.next(new TextFrame({ text: 'And of Italy?' }));
    await fake.server().waitFor(() => ends === 2);
    expect(fake.server().requests[1]?.body).toMatchObject({ store: false, input: [expect.anything(), expect.anything(), expect.anything()] });
    expect(fake.server().requests[1]?.body).not.toHaveProperty('previous_response_id');
    input.complete();
  });
});
