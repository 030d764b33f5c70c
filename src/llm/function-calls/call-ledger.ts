import { ReplaySubject, Observable, type Subscription, type TeardownLogic } from 'rxjs';
import type { LLMContext } from '../../context/llm-context';
import { FunctionCallCancelFrame, type Frame, type FunctionCallFromLLM } from '../../frames';
import type { LateOutcome } from './context-writes';

/** One call announced to the pipeline, until it has a result or a cancellation. */
interface Entry {
  readonly call: FunctionCallFromLLM;
  /** Whether its handler outlives an interruption (`cancelOnInterruption: false`). */
  readonly survives: boolean;
  /** Whether its handler started. */
  started: boolean;
  /** Whether it has its result or its cancellation: it ends once, either way. */
  settled: boolean;
}

/** What the ledger needs from its pipeline. */
export interface CallLedgerHooks {
  /** Announces cancelled calls (the `functionCallsCancelled` event). */
  readonly cancelled: (calls: readonly FunctionCallFromLLM[]) => void;
  /** Keeps a surviving handler's subscription for the pipeline's lifetime (ended when the pipeline is). */
  readonly keep: (teardown: TeardownLogic) => void;
  /** A surviving call answered after its turn was gone: emit its frames, write its final outcome into its context. */
  readonly late: (frames: readonly Frame[], outcome: LateOutcome | undefined) => void;
  /** Runs the model on a context as a new turn, once the pipeline is idle. */
  readonly runLater: (context: LLMContext) => void;
}

/**
 * The calls of one pipeline that have not ended, so that every announced call ends with a result frame or a
 * `FunctionCallCancelFrame`, even when interrupted just as it starts (Pipecat #3661, #5779), and so that a handler that
 * survives barge-in can answer after its turn is gone.
 */
export class CallLedger {
  /** Unsettled calls by call id. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly hooks: CallLedgerHooks) {}

  /** A surviving call answered after its turn was gone. */
  late(frames: readonly Frame[], outcome: LateOutcome | undefined): void {
    this.hooks.late(frames, outcome);
  }

  /** Runs the model on a context as a new turn, once the pipeline is idle. */
  runLater(context: LLMContext): void {
    this.hooks.runLater(context);
  }

  /** The calls of a response are announced; `survives` says which handlers outlive an interruption. */
  announce(calls: readonly FunctionCallFromLLM[], survives: (call: FunctionCallFromLLM) => boolean): void {
    for (const call of calls) this.entries.set(call.toolCallId, { call, survives: survives(call), started: false, settled: false });
  }

  /** A call's handler started. */
  started(toolCallId: string): void {
    const entry = this.entries.get(toolCallId);
    if (entry) entry.started = true;
  }

  /** A call has its result (or was cancelled): it is done; returns false when it was already. */
  settle(toolCallId: string): boolean {
    const entry = this.entries.get(toolCallId);
    if (!entry || entry.settled) return false;
    entry.settled = true;
    this.entries.delete(toolCallId);
    return true;
  }

  /**
   * The turn was cancelled: every unsettled call ends now with a cancel frame, but for surviving handlers that started,
   * which go on. Fires the `functionCallsCancelled` event once, with the cancelled calls.
   */
  cancelPending(): FunctionCallCancelFrame[] {
    const cancelled: FunctionCallFromLLM[] = [];
    for (const entry of [...this.entries.values()]) {
      if (entry.survives && entry.started) continue;
      this.settle(entry.call.toolCallId);
      cancelled.push(entry.call);
    }
    if (cancelled.length > 0) this.hooks.cancelled(cancelled);
    return cancelled.map(({ functionName, toolCallId }) => new FunctionCallCancelFrame({ functionName, toolCallId }));
  }

  /**
   * Runs a surviving handler's answers under the pipeline instead of the turn: the turn reads them while it waits (the
   * Observable returned); whatever arrives once it stopped waiting goes to `late` (and errors to `lateError`).
   */
  keepRunning<A>(answers$: Observable<A>, late: (answer: A) => void, lateError: (error: unknown) => void): Observable<A> {
    const answers = new ReplaySubject<A>();
    // Whether the turn is still subscribed: then it handles what comes, else `late` does.
    let turnWaiting = false;
    answers.subscribe({ next: (answer) => !turnWaiting && late(answer), error: (error: unknown) => !turnWaiting && lateError(error) });
    const running: Subscription = answers$.subscribe(answers);
    this.hooks.keep(running);
    return new Observable<A>((subscriber) => {
      turnWaiting = true;
      const reading = answers.subscribe(subscriber);
      return () => {
        reading.unsubscribe();
        turnWaiting = false;
      };
    });
  }
}
