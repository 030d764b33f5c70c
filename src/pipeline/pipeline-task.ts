import { Subject, type Observable, type Subscription } from 'rxjs';
import { RxResponsesError } from '../errors/errors';
import type { Frame } from '../frames';
import type { PipelineStage } from './pipeline';
import { shareClasses } from '../runtime/shared-classes';

/**
 * Runs a pipeline: queue frames in, read what comes out on `frames$` (subscribe before queueing; it is hot).
 * @example
 * const task = new PipelineTask(pipeline(pair.user(), llm.operator(), pair.assistant()));
 * task.frames$.subscribe((frame) => console.log(frame.type));
 * await task.queueFrame(new TextFrame({ text: 'Hello' }));
 */
export class PipelineTask {
  /** Frames queued into the pipeline. */
  private readonly input = new Subject<Frame>();
  /** Frames out of the pipeline, shared by every subscriber of `frames$`. */
  private readonly output = new Subject<Frame>();
  /** The pipeline's one subscription: unsubscribing it cancels everything in flight. */
  private readonly running: Subscription;
  /** Settles when the pipeline has finished (after `end()`) or was cancelled. */
  private readonly finished: Promise<void>;
  /** How the task stopped taking frames, once it did. */
  private closedBy: 'end()' | 'cancel()' | undefined;

  constructor(stage: PipelineStage) {
    let settle: (error?: unknown) => void = () => {};
    this.finished = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
    this.finished.catch(() => undefined);
    this.running = this.input.pipe(stage).subscribe({
      next: (frame) => this.output.next(frame),
      error: (error: unknown) => {
        this.output.error(error);
        settle(error ?? new Error('pipeline failed'));
      },
      complete: () => {
        this.output.complete();
        settle();
      },
    });
    this.running.add(() => settle());
  }

  /** What comes out of the pipeline. */
  get frames$(): Observable<Frame> {
    return this.output.asObservable();
  }

  /**
   * Queues one frame (processed at once; the promise is for symmetry with Pipecat's `await task.queue_frame`). Rejects
   * with an `RxResponsesError` after `end()` or `cancel()`: the frame would be dropped.
   */
  queueFrame(frame: Frame): Promise<void> {
    return this.queueFrames([frame]);
  }

  /** Queues frames in order; rejects, queueing none, after `end()` or `cancel()`. */
  queueFrames(frames: Iterable<Frame>): Promise<void> {
    if (this.closedBy) {
      return Promise.reject(new RxResponsesError(`PipelineTask.queueFrame() after ${this.closedBy}: the task takes no more frames, and this one was not queued; start a new PipelineTask`));
    }
    for (const frame of frames) this.input.next(frame);
    return Promise.resolve();
  }

  /** No more input: lets what is in flight finish, then completes `frames$`; resolves when done. */
  end(): Promise<void> {
    this.closedBy ??= 'end()';
    this.input.complete();
    return this.finished;
  }

  /** Stops at once: aborts every request, handler and timer in flight and completes `frames$`. */
  cancel(): void {
    this.closedBy ??= 'cancel()';
    this.running.unsubscribe();
    this.input.complete();
    this.output.complete();
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ PipelineTask });
