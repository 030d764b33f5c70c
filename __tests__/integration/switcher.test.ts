import { LLMContext, LLMContextFrame, LLMSwitcher, OpenAILLMService } from '../../src';
import { functionCallResponse, textResponse } from '../../src/testing';
import { OperatorHarness, recordingLogger, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-switch-0123456789');

describe('LLMSwitcher over loopback', () => {
  it('a Responses primary failing over to a Chat Completions fallback, whose handler was registered on the switcher', async () => {
    fake.server().enqueue(
      { kind: 'http-error', status: 500, message: 'primary down' },
      { kind: 'stream', events: functionCallResponse([{ name: 'get_time', arguments: {}, callId: 'c_t' }]) },
      { kind: 'stream', events: textResponse('It is noon.') },
    );
    const primary = fake.service({ maxRetries: 0 });
    const fallback = new OpenAILLMService({ apiKey: 'sk-switch-0123456789', baseURL: fake.server().baseURL, maxRetries: 0, logger: recordingLogger() });
    const switcher = new LLMSwitcher({ services: [primary, fallback] });
    switcher.registerFunction('get_time', () => '12:00');
    const harness = new OperatorHarness(switcher);
    harness.send(new LLMContextFrame({ context: new LLMContext([{ role: 'user', content: 'Time?' }], [{ type: 'function', name: 'get_time', parameters: { type: 'object', properties: {} } }]) }));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('It is noon.');
    expect(harness.errorMessages()).toEqual([]);
    expect(harness.count('LLMFullResponseStartFrame')).toBe(2);
    expect(fake.server().requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/chat/completions', '/v1/chat/completions']);
    expect(switcher.activeService).toBe(fallback);
    harness.stop();
  });
});
