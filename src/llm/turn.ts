import { EMPTY, of, type Observable } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { FunctionCallLimitError } from '../errors';
import type { Frame } from '../frames';
import { followedBy } from '../operators/followed-by';
import { runFunctionCalls, type FunctionCallDeps } from './function-calls';
import { errorFrameFor, streamResponse, type OpenResponseTracker, type ResponseSource } from './response';

/** What a turn needs: how to stream a response, how to run function calls, and how many rounds it may take. */
export interface TurnDeps<Event, Settings extends { readonly model: string }, S> {
  /** The provider's I/O and event mapping. */
  readonly source: ResponseSource<Event, Settings>;
  /** How function calls run. */
  readonly functionCalls: FunctionCallDeps<S>;
  /** How many follow-up responses one turn may run. */
  readonly maxFunctionCallRounds: number;
  /** The settings in force when the turn (or a follow-up) starts. */
  readonly settings: () => Settings;
}

/**
 * The frames of one turn for a context: the response, then, if it asked for function calls, their handlers and a new
 * response with the results, and so on (up to `maxFunctionCallRounds` follow-ups; `round` counts them). All of it is one
 * Observable, so a cancel stops every part. Each response reads the settings when it is built.
 */
export function respond<Event, Settings extends { readonly model: string }, S>(
  deps: TurnDeps<Event, Settings, S>,
  context: LLMContext,
  tracker: OpenResponseTracker,
  leading: readonly Frame[] = [],
  round = 0,
): Observable<Frame> {
  const response = streamResponse(context, deps.settings(), deps.source, tracker, leading);
  // Whether the handlers asked for the model to run again with their results.
  let runAgain = false;
  return response.frames$.pipe(
    followedBy(() => {
      // Only a response that completed has calls to run: one that ended incomplete, failed or broke may hold calls cut
      // off mid-arguments, and running them would bill a follow-up request for a turn that already failed.
      if (response.state.failed) return EMPTY;
      const calls = [...response.state.functionCalls.values()].filter((call) => call.done);
      if (calls.length === 0) return EMPTY;
      return runFunctionCalls(calls, context, deps.functionCalls, tracker.calls, (outcome) => (runAgain = outcome.runLlm), response.state.reasoningItems, response.state.span).pipe(
        followedBy(() => {
          if (!runAgain) return EMPTY;
          // `round` follow-ups ran already: a model that keeps calling tools must not keep a turn (and its bill) going.
          if (round >= deps.maxFunctionCallRounds) return of(errorFrameFor(new FunctionCallLimitError(round)));
          return respond(deps, context, tracker, [], round + 1);
        }),
      );
    }),
  );
}
