/**
 * Bytes sent per turn over a 20-turn conversation with tools (not a test): the same conversation over HTTP with the full
 * input each time, over the WebSocket transport, and over HTTP with `store: true`.
 */
import { Subject } from 'rxjs';
import { LLMContext, LLMContextAggregatorPair, OpenAIResponsesLLMService, TextFrame, type Frame, type OpenAIResponsesLLMServiceOptions } from '../src';
import { FakeResponsesServer, ResponseScript, type FakeReply, type RecordedRequest } from '../src/testing';

const TOOLS = [{ type: 'function' as const, name: 'lookup', description: 'Looks something up', parameters: { type: 'object', properties: { q: { type: 'string' } } } }];

/** Every fourth question calls the tool; everything else is a plain answer of a few sentences. */
function reply(request: RecordedRequest): FakeReply {
  const input = (request.body?.input ?? []) as { type?: string; role?: string; content?: unknown }[];
  const last = input.at(-1);
  const script = new ResponseScript();
  if (last?.role === 'user' && String(last.content).includes('look up')) script.functionCall({ name: 'lookup', arguments: { q: String(last.content) } });
  else script.text(['Here is a considered answer ', 'of a few sentences, ', 'as a voice agent would give it. ', 'It goes on a little longer.']);
  return { kind: 'stream', events: script.completed({ inputTokens: 100, outputTokens: 30 }) };
}

/** The total request bytes of a 20-turn conversation in one mode. */
async function bytesFor(options: OpenAIResponsesLLMServiceOptions): Promise<{ bytes: number; requests: number }> {
  const server = await FakeResponsesServer.start({ fallback: reply });
  const llm = new OpenAIResponsesLLMService({ apiKey: 'sk-bench', baseURL: server.baseURL, logger: { warn() {}, error() {} }, ...options });
  llm.registerFunction('lookup', ({ arguments: args }) => `found: ${String(args.q)} (a result of a realistic length, with some detail)`);
  const pair = new LLMContextAggregatorPair(new LLMContext([{ role: 'system', content: 'You are a helpful voice assistant. Answer briefly.' }], TOOLS));
  const input = new Subject<Frame>();
  let ends = 0;
  input.pipe(pair.user(), llm.operator(), pair.assistant()).subscribe((frame) => frame.type === 'LLMFullResponseEndFrame' && ends++);
  for (let turn = 0; turn < 20; turn++) {
    const before = ends;
    const tool = turn % 4 === 3;
    input.next(new TextFrame({ text: tool ? `Please look up item ${turn}.` : `Question number ${turn}: tell me something useful.` }));
    await server.waitFor(() => ends >= before + (tool ? 2 : 1));
  }
  input.complete();
  llm.close();
  const bytes = server.requests.reduce((sum, request) => sum + Buffer.byteLength(JSON.stringify(request.body ?? {})), 0);
  const requests = server.requests.length;
  await server.close();
  return { bytes, requests };
}

/** Request bytes of the three modes. */
export async function bytesPerTurn(): Promise<{ http: number; websocket: number; stored: number; requests: number }> {
  const http = await bytesFor({});
  const websocket = await bytesFor({ transport: 'websocket' });
  const stored = await bytesFor({ store: true });
  return { http: http.bytes / 20, websocket: websocket.bytes / 20, stored: stored.bytes / 20, requests: http.requests };
}
