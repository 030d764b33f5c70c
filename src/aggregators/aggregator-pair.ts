import type { OperatorFunction } from 'rxjs';
import { LLMContext } from '../context/llm-context';
import type { Frame } from '../frames';
import { assistantAggregator } from './assistant-aggregator';
import { userAggregator } from './user-aggregator';
import { shareClasses } from '../runtime/shared-classes';

/**
 * The user and assistant aggregators of one shared context (Pipecat's `LLMContextAggregatorPair`).
 * @example
 * const pair = new LLMContextAggregatorPair(new LLMContext());
 * const output$ = input$.pipe(pair.user(), llm.operator(), pair.assistant());
 */
export class LLMContextAggregatorPair {
  /** The conversation both aggregators write to. */
  readonly context: LLMContext;

  constructor(context: LLMContext = new LLMContext()) {
    this.context = context;
  }

  /** The stage before the LLM: user input → user messages → `LLMContextFrame`s. */
  user(): OperatorFunction<Frame, Frame> {
    return userAggregator(this.context);
  }

  /** The stage after the LLM: each response's text → an assistant message. */
  assistant(): OperatorFunction<Frame, Frame> {
    return assistantAggregator(this.context);
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ LLMContextAggregatorPair });
