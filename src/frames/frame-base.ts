import { shareClasses } from '../runtime/shared-classes';
/** Next frame id: ids are unique within one process and only ever grow, which makes logs easy to follow. */
let nextFrameId = 1;

/** What every frame carries besides its fields: a literal `type` to switch on and a unique `id`. */
export abstract class FrameBase {
  /** The frame's class name as a string literal; `switch (frame.type)` narrows the `Frame` union. */
  abstract readonly type: string;
  /** A process-unique, increasing number, handy for tracing one frame through a pipeline. */
  readonly id: number = nextFrameId++;
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ FrameBase });
