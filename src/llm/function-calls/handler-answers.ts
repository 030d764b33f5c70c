import { from, isObservable, Observable, take, type ObservableInput, type SchedulerLike } from 'rxjs';
import { isPromise } from '../../context/schemas';
import type { FunctionCallHandler, FunctionCallParams, FunctionCallResultProperties } from './function-registry';

/** A handler's answer: a result, whether it is the final one, and how it affects the turn. */
export interface Answer {
  readonly result: unknown;
  readonly properties: FunctionCallResultProperties | undefined;
  readonly final: boolean;
}

/** The error of a handler that did not give its final answer in time. */
export class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
}

/**
 * The handler's answers, by return value (its first value counts, as the final answer) or by `resultCallback` (final,
 * or progress with `isFinal: false`). The deadline, when given, holds until the final answer: progress does not disarm
 * it (Pipecat #5481). Unsubscribing before the final answer aborts the handler's signal.
 */
export function handlerAnswers<S>(
  handler: FunctionCallHandler<S>,
  params: Omit<FunctionCallParams<S>, 'signal' | 'resultCallback'>,
  timeoutMs: number | undefined,
  scheduler: SchedulerLike,
): Observable<Answer> {
  return new Observable<Answer>((subscriber) => {
    // Aborted when the turn stops waiting (interruption, timeout, unsubscribe); never once the final answer arrived.
    const controller = new AbortController();
    // Whether the final answer arrived: later answers are ignored, and the call is not aborted.
    let answered = false;
    const deadline = timeoutMs === undefined ? undefined : scheduler.schedule(() => subscriber.error(new CallTimeout()), timeoutMs);
    const answer = (result: unknown, properties?: FunctionCallResultProperties) => {
      if (answered) return;
      const final = properties?.isFinal !== false;
      if (final) {
        answered = true;
        deadline?.unsubscribe();
      }
      subscriber.next({ result, properties, final });
      if (final) subscriber.complete();
    };
    try {
      const returned = handler({ ...params, signal: controller.signal, resultCallback: answer });
      if (isObservable(returned) || isPromise(returned)) {
        const returned$ = isObservable(returned) ? returned.pipe(take(1)) : from(returned as ObservableInput<unknown>);
        subscriber.add(
          returned$.subscribe({
            next: (value) => value !== undefined && answer(value),
            error: (error: unknown) => subscriber.error(error),
          }),
        );
      } else if (returned !== undefined) {
        // A plain value answers at once: at the frame the call starts, in virtual time too (a microtask would not run there).
        answer(returned);
      }
    } catch (error) {
      subscriber.error(error);
    }
    return () => {
      deadline?.unsubscribe();
      if (!answered) controller.abort();
    };
  });
}
