import { concat, EMPTY, of, type Observable } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { FunctionCallLimitError } from '../errors/errors';
import type { Frame } from '../frames';
import { errorFrameFor } from '../frames/error-frame-for';
import { followedBy } from '../operators/followed-by';
import { runFunctionCalls } from './function-calls/round';
import { answerItems } from './output-items/answer-items';
import { streamResponse } from './response';
import { reasoningWithOrigin } from './response-record';
import type { TurnCore } from './turn-core';
import type { TurnState } from './turn-state';

/**
 * The frames of one turn for a context: the response, then, if it completed with function calls, their handlers and a
 * new response with the results, and so on (up to `maxFunctionCallRounds` follow-ups; `round` counts them). All of it
 * is one Observable, so a cancel stops every part. Each response reads the settings when it is built.
 *
 * What a turn writes into its context, in order: the response's encrypted reasoning (for a text answer, before End;
 * the assistant aggregator then writes the text at End), or the calls with their reasoning and outputs in one step once
 * every handler answered; a surviving handler that answers after its turn is gone writes its call and output together.
 */
export function runTurn<Event, Settings extends { readonly model: string }>(
  core: TurnCore<Event, Settings>,
  context: LLMContext,
  turn: TurnState,
  round = 0,
  after?: Observable<never>,
): Observable<Frame> {
  const response = streamResponse(core, context, turn, after);
  turn.released$ = response.released$;
  return response.frames$.pipe(
    followedBy(() => {
      // Only a response that completed has calls to run: one that ended incomplete, failed or broke may hold calls cut
      // off mid-arguments, and running them would bill a follow-up request for a turn that already failed.
      if (response.failed()) return EMPTY;
      const { record } = response;
      // In output order, whatever order their items closed in.
      const calls = [...record.functionCalls.values()].filter((call) => call.done).sort(byOutputIndex);
      const toAnswer = record.outputItems.filter((item) => item.kind !== 'kept');
      if (calls.length === 0 && toAnswer.length === 0) return EMPTY;
      const said = { text: record.text, reasoning: reasoningWithOrigin(record, core.name), items: record.outputItems.map((item) => item.item) };
      const calls$ = calls.length > 0 ? runFunctionCalls(calls, context, core.functionCalls, turn.calls, said, response.span()) : undefined;
      // The calls and items went into the context first (with the calls, or at End when there are none).
      const items$ = toAnswer.length > 0 ? answerItems(toAnswer, context, core.outputItems) : undefined;
      return concat(calls$?.frames$ ?? EMPTY, items$?.frames$ ?? EMPTY).pipe(
        followedBy(() => {
          if (!calls$?.runLlm() && !items$?.runLlm()) return EMPTY;
          // `round` follow-ups ran already: a model that keeps calling tools must not keep a turn (and its bill) going.
          if (round >= core.maxFunctionCallRounds) return of(errorFrameFor(new FunctionCallLimitError(round)));
          // The follow-up goes out once this response's request is released, on the connection it leaves.
          return runTurn(core, context, turn, round + 1, response.released$);
        }),
      );
    }),
  );
}

function byOutputIndex(a: { readonly outputIndex?: number | undefined }, b: { readonly outputIndex?: number | undefined }): number {
  return (a.outputIndex ?? 0) - (b.outputIndex ?? 0);
}
