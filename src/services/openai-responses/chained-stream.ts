import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { catchError, defer, mergeMap, of, tap, throwError, type Observable } from 'rxjs';
import { isTerminalEvent } from './events';
import type { OpenStream } from './sse-stream';
import { inputItemsOf, type ResponsesStreamRequest } from './request';
import { isChainLost, type ResponseChain } from './response-chain';

/** The signal to send the full input again: the server no longer holds the chain. */
const CHAIN_LOST = Symbol('chain lost');

/**
 * One stored request over HTTP (`store: true`): only the new input with `previous_response_id` when the chain allows it
 * (the same planning as the WebSocket transport's), the full input again, once, when the server says it lost the chain
 * (`previous_response_not_found`, as an HTTP error or an error event); what completes becomes the chain's new end.
 */
export function chainedStream(request: ResponsesStreamRequest, chain: ResponseChain, openStream: OpenStream): Observable<ResponseStreamEvent> {
  return defer(() => {
    const full = inputItemsOf(request);
    const plan = chain.plan(full, request.model);
    const send = (input: readonly ResponseInputItem[], previousResponseId: string | undefined) =>
      openStream({ ...request, input: [...input], ...(previousResponseId ? { previous_response_id: previousResponseId } : {}) });
    const planned$ = plan.previousResponseId
      ? send(plan.input, plan.previousResponseId).pipe(
          mergeMap((event) => (event.type === 'error' && isChainLost(event) ? throwError(() => CHAIN_LOST) : of(event))),
          catchError((error: unknown) => {
            if (error !== CHAIN_LOST && !isChainLost(error)) return throwError(() => error);
            chain.forget();
            return send(full, undefined);
          }),
        )
      : send(full, undefined);
    return planned$.pipe(tap((event) => isTerminalEvent(event) && chain.settle(full, request.model, event)));
  });
}
