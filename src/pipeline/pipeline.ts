import type { OperatorFunction } from 'rxjs';
import type { Frame } from '../frames';

/** One stage of a pipeline: frames in, frames out. */
export type PipelineStage = OperatorFunction<Frame, Frame>;

/**
 * Composes stages left to right into one stage.
 * @example const stage = pipeline(pair.user(), llm.operator(), pair.assistant());
 */
export function pipeline(...stages: PipelineStage[]): PipelineStage {
  return (source) => stages.reduce((frames$, stage) => stage(frames$), source);
}
