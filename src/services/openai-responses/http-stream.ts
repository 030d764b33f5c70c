import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { defer, finalize, from, mergeMap, type Observable } from 'rxjs';
import type { ResponsesStreamRequest } from './request';

/** The one seam between the operator and the network: a request in, its stream events out; unsubscribing aborts. */
export type OpenStream = (request: ResponsesStreamRequest) => Observable<ResponseStreamEvent>;

/**
 * The default `openStream`: the `openai` client sends the request (auth, retries, typed errors) and its stream is
 * iterated; unsubscribing aborts the HTTP request, so the server sees the socket close.
 */
export function sdkOpenStream(getClient: () => OpenAI): OpenStream {
  return (request) => abortable((signal) => from(getClient().responses.create(request, { signal })).pipe(mergeMap((stream) => from(stream))));
}

/**
 * An Observable of I/O that is aborted when it ends or is unsubscribed: each subscription gets its own signal, and
 * aborting it is how an unsubscribe reaches the socket.
 */
export function abortable<T>(open: (signal: AbortSignal) => Observable<T>): Observable<T> {
  return defer(() => {
    const controller = new AbortController();
    return open(controller.signal).pipe(finalize(() => controller.abort()));
  });
}
