import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { defer, from, isObservable, throwError, type Observable } from 'rxjs';
import type { ResponsesStreamRequest } from '../services/openai-responses/request';

/** An `openStream` that answers from a script, and the requests it was given. */
export interface ScriptedOpenStream<Request = ResponsesStreamRequest, Event = ResponseStreamEvent> {
  /** The seam itself: pass it as the service's `openStream`. */
  (request: Request): Observable<Event>;
  /** Every request body, in order. */
  readonly requests: Request[];
}

/**
 * An in-memory `openStream` for tests without a server: each request gets the next scripted stream (a cold Observable,
 * e.g. from a `TestScheduler`, or an array of events), and its body is recorded. A request past the script fails like a
 * broken connection would, so the test sees an ErrorFrame.
 * @example
 * const openStream = scriptedOpenStream([textResponse('Hi')]);
 * const llm = new OpenAIResponsesLLMService({ openStream });
 */
export function scriptedOpenStream<Request = ResponsesStreamRequest, Event = ResponseStreamEvent>(
  streams: Iterable<Observable<Event> | readonly Event[]>,
): ScriptedOpenStream<Request, Event> {
  const queue = [...streams];
  const requests: Request[] = [];
  const openStream = (request: Request): Observable<Event> => {
    requests.push(request);
    const next = queue.shift();
    if (next === undefined) return throwError(() => new Error(`scriptedOpenStream: no stream scripted for request ${requests.length}`));
    return isObservable(next) ? next : defer(() => from(next));
  };
  return Object.assign(openStream, { requests });
}
