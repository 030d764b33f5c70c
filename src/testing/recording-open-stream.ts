import type OpenAI from 'openai';
import { asyncScheduler } from 'rxjs';
import type { OpenStream } from '../services/openai-responses/sse-stream';
import type { ResponsesStreamRequest } from '../services/openai-responses/request';
import { parserOpenStream } from '../services/openai-responses/sse-stream';

/** A body that reached one of these ended its response. */
const TERMINAL_EVENT = /"type":\s*"(?:response\.(?:completed|failed|incomplete)|error)"/;

/** One recorded response: the request body and the SSE body exactly as the endpoint sent it. */
export interface Recording {
  readonly request: ResponsesStreamRequest;
  /** The body as text, byte for byte: save it as a `.sse` file and serve it with `{ kind: 'sse', body }`. */
  readonly body: string;
}

/** Options of `recordingOpenStream`. */
export interface RecordingOptions {
  /** The client that reaches the real endpoint (its key, base URL and options are used as they are). */
  readonly client: OpenAI;
  /** Called once per response that reached its terminal event, with what was sent and received. */
  readonly onRecord: (recording: Recording) => void;
  /** The `fetch` that reaches the endpoint, if the client was given a custom one (default: the global `fetch`). */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * An `openStream` that streams from a real endpoint as the default one does and records each response's SSE body as it
 * came, so you can test against your own traffic later (`FakeResponsesServer` serves it back with `{ kind: 'sse', body }`).
 * A response cut off before its terminal event (an interruption) is not recorded.
 * @example
 * const openStream = recordingOpenStream({ client: new OpenAI(), onRecord: ({ body }) => writeFileSync('turn.sse', body) });
 * const llm = new OpenAIResponsesLLMService({ openStream });
 */
export function recordingOpenStream(options: RecordingOptions): OpenStream {
  return (request) => {
    const fetchOf = options.fetch ?? globalThis.fetch;
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetchOf(input, init);
      if (!response.body) return response;
      const reader = response.body.getReader();
      // The bytes so far, as they came.
      const chunks: Uint8Array[] = [];
      // Whether the recording was handed over (or given up): once per response.
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        const body = Buffer.concat(chunks).toString('utf8');
        // The service releases the request at the terminal event, so the body may stop there; one cut off earlier is not kept.
        if (TERMINAL_EVENT.test(body)) options.onRecord({ request, body });
      };
      init?.signal?.addEventListener('abort', settle, { once: true });
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          try {
            const { done, value } = await reader.read();
            if (done) {
              settle();
              controller.close();
              return;
            }
            chunks.push(value);
            controller.enqueue(value);
          } catch (error) {
            settle();
            controller.error(error);
          }
        },
        cancel: (reason) => {
          settle();
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    const client = options.client.withOptions({ fetch: recordingFetch });
    return parserOpenStream(() => client, asyncScheduler)(request);
  };
}
