import { Observable, type OperatorFunction, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { LLMContext } from '../context/llm-context';
import { LLMFullResponseEndFrame, type Frame, type FunctionCallFromLLM, type LLMUpdateSettingsFrame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import { approvalProblem, approvalResponseItem } from './output-items/approval-answers';
import { CallLedger } from './function-calls/call-ledger';
import type { LateOutcome } from './function-calls/context-writes';
import type { ResponseRecord } from './response-record';
import { SessionSettings } from './session-settings';
import type { TurnState } from './turn-state';

/** What the stage needs from its owner (a service, or a switcher of services). */
export interface StageOwner {
  /** The frames of one turn on a context; its first request waits (briefly) for `after`, the previous request's release. */
  runTurn(context: LLMContext, turn: TurnState, after: Observable<never> | undefined): Observable<Frame>;
  /** Applies a settings frame to one pipeline's session; returns the ErrorFrames of a bad delta (none when it applied). */
  applySettings(frame: LLMUpdateSettingsFrame, session: SessionSettings): readonly Frame[];
  /** Announces cancelled handlers (the `functionCallsCancelled` event). */
  callsCancelled(calls: readonly FunctionCallFromLLM[]): void;
  /** Writes a surviving call's late answer into its context (call and output together, cleaned). */
  writeLate(outcome: LateOutcome): void;
  /** The clock a waiting run is resumed on once the user stopped speaking. */
  readonly scheduler: SchedulerLike;
}

/** The frames this stage consumes (the rest pass through unread). */
const CONSUMED = new Set<unknown>([
  'LLMContextFrame',
  'LLMMessagesAppendFrame',
  'LLMMessagesUpdateFrame',
  'LLMRunFrame',
  'LLMSetToolsFrame',
  'LLMSetToolChoiceFrame',
  'LLMUpdateSettingsFrame',
  'McpApprovalResponseFrame',
]);

/**
 * The LLM stage: routes each frame, starts a turn on a context (cancelling the one in flight), and passes every other
 * frame through. Consumes context, run, append, update, tools, tool-choice and settings frames, in order; forwards an
 * interruption after closing what it cancelled (the open response, the cancelled calls). A handler that survives
 * barge-in answers through the same stage, and the model runs on its result once the stage is idle. Failures are
 * ErrorFrames; the output never errors.
 */
export function llmOperator<T extends { readonly type: string } = never>(owner: StageOwner): OperatorFunction<Frame | T, Frame | T> {
  return (source) =>
    new Observable<Frame | T>((subscriber) => {
      const stage = new PipelineStage(owner, subscriber as Subscriber<Frame>);
      const fromSource = (source as Observable<Frame>).subscribe({
        next: (frame) => stage.route(frame),
        error: (error: unknown) => subscriber.error(error),
        complete: () => stage.sourceDone(),
      });
      return () => {
        fromSource.unsubscribe();
        stage.stop();
      };
    });
}

/** The turn that runs now: its state, and its subscription once made. */
class RunningTurn implements TurnState {
  /** Whether Start went out without its End (written by the response bracket alone). */
  open = false;
  /** The record of the response that opened last (written by the response bracket alone). */
  response: ResponseRecord | undefined;
  /** The turn's subscription, once `subscribe` returned. */
  subscription: Subscription | undefined;
  /** Completes when the turn's last request is released (written by the turn). */
  released$: Observable<never> | undefined;

  constructor(private readonly stage: PipelineStage) {}

  /** The pipeline's calls not ended, made when the first call is announced. */
  get calls(): CallLedger {
    return this.stage.calls;
  }

  /** The pipeline's own settings deltas. */
  get session(): SessionSettings {
    return this.stage.session;
  }
}

/**
 * One pipeline's state, in one object (a thousand open sessions pay for fields, not for a dozen closures each): the
 * context frames append to, the turn that runs, the calls not ended, and what surviving handlers asked for. It owns the
 * turn: it starts it, and on a cancel it closes what the turn left open itself.
 */
class PipelineStage {
  /** The context `LLMMessagesAppendFrame` appends to: the last one an `LLMContextFrame` brought, or a fresh one. */
  private context = new LLMContext();
  /** The turn that runs now, if any. */
  private turn: RunningTurn | undefined;
  /** The context a late answer asked to run on while a turn was running. */
  private pendingRun: LLMContext | undefined;
  /** When the last turn's request is released: the next turn's first request waits for it (briefly), to reuse its connection. */
  private lastReleased: Observable<never> | undefined;
  /** Whether the user is speaking (between UserStarted- and UserStoppedSpeakingFrame): a late run waits for the end. */
  private userSpeaking = false;
  /** Whether the source completed: we complete only when it has and no turn runs. */
  private done = false;
  /** The calls not ended: made when the first call is announced (most sessions, most of the time, have none). */
  private ledger: CallLedger | undefined;
  /** This pipeline's own settings: the deltas its settings frames brought (other pipelines of the service never see them). */
  readonly session = new SessionSettings();

  constructor(
    private readonly owner: StageOwner,
    private readonly subscriber: Subscriber<Frame>,
  ) {}

  /** Context, append and interruption frames start or cancel the turn; settings frames are applied; the rest pass. */
  route(frame: Frame): void {
    if (CONSUMED.has(frame?.type)) {
      // A plain-JavaScript caller's malformed frame becomes an ErrorFrame naming the field; the pipeline goes on.
      const problem = malformedFrame(frame);
      if (problem) return this.subscriber.next(problem);
    } else if (frame === null || typeof frame !== 'object') return this.subscriber.next(malformedFrame(frame)!);
    switch (frame.type) {
      case 'LLMContextFrame':
        this.context = frame.context;
        return this.start(this.context);
      case 'LLMMessagesAppendFrame':
        this.context.addMessages(frame.messages);
        return frame.runLlm ? this.start(this.context) : undefined;
      case 'LLMMessagesUpdateFrame':
        this.context.setMessages(frame.messages);
        return frame.runLlm ? this.start(this.context) : undefined;
      case 'LLMRunFrame':
        return this.start(this.context);
      case 'LLMSetToolsFrame':
        return this.context.setTools(frame.tools);
      case 'LLMSetToolChoiceFrame':
        return this.context.setToolChoice(frame.toolChoice);
      case 'InterruptionFrame':
        this.cancel();
        this.subscriber.next(frame);
        return this.idle();
      case 'LLMUpdateSettingsFrame':
        for (const error of this.owner.applySettings(frame, this.session)) this.subscriber.next(error);
        return;
      case 'McpApprovalResponseFrame': {
        // The answer follows its request in the context, and goes out at once.
        const problem = approvalProblem(this.context, frame);
        if (problem) return this.subscriber.next(problem);
        this.context.addMessage({ role: 'item', item: approvalResponseItem(frame) });
        return this.start(this.context);
      }
      case 'UserStartedSpeakingFrame':
        this.userSpeaking = true;
        return this.subscriber.next(frame);
      case 'UserStoppedSpeakingFrame':
        this.userSpeaking = false;
        this.subscriber.next(frame);
        // A run that waited for the user goes once this moment's frames are through: what the user said (a context
        // frame right behind this one) starts a turn that already holds the late answer, and replaces the run.
        if (this.pendingRun) this.owner.scheduler.schedule(() => !this.turn && this.idle());
        return;
      default:
        this.subscriber.next(frame);
    }
  }

  sourceDone(): void {
    this.done = true;
    if (!this.turn) this.subscriber.complete();
  }

  /** The stage was unsubscribed: the running turn goes too (nothing is emitted any more). */
  stop(): void {
    const turn = this.turn;
    this.turn = undefined;
    turn?.subscription?.unsubscribe();
  }

  /** The pipeline's calls not ended (most sessions, most of the time, have none: made on first use). */
  get calls(): CallLedger {
    return (this.ledger ??= new CallLedger({
      cancelled: (cancelled) => this.owner.callsCancelled(cancelled),
      keep: (teardown) => this.subscriber.add(teardown),
      late: (frames, outcome) => {
        if (outcome) this.owner.writeLate(outcome);
        for (const frame of frames) this.subscriber.next(frame);
        if (outcome?.runLlm) this.runLater(outcome.context);
      },
      runLater: (context) => this.runLater(context),
    }));
  }

  /** Starts a turn on a context, cancelling the one in flight first. */
  private start(context: LLMContext): void {
    // A run that waited on this context is this turn.
    if (this.pendingRun === context) this.pendingRun = undefined;
    this.cancel();
    const turn = new RunningTurn(this);
    this.turn = turn;
    const subscription = this.owner.runTurn(context, turn, this.lastReleased).subscribe({
      next: (frame) => {
        if (this.turn === turn) this.subscriber.next(frame);
      },
      error: (error: unknown) => {
        if (this.turn === turn) this.subscriber.error(error);
      },
      complete: () => this.ended(turn),
    });
    // A turn that ended (or was replaced) while it subscribed is let go at once.
    if (this.turn === turn) turn.subscription = subscription;
    else subscription.unsubscribe();
  }

  /** Cancels the running turn and closes what it left open: the End of its open response, a cancel frame per call not ended. */
  private cancel(): void {
    const turn = this.turn;
    if (turn) {
      this.turn = undefined;
      turn.subscription?.unsubscribe();
      this.lastReleased = turn.released$;
      if (turn.open) this.subscriber.next(new LLMFullResponseEndFrame({ incomplete: true, itemId: turn.response?.messageId }));
    }
    if (this.ledger) for (const frame of this.ledger.cancelPending()) this.subscriber.next(frame);
  }

  /** A turn completed. */
  private ended(turn: RunningTurn): void {
    if (this.turn !== turn) return;
    this.turn = undefined;
    this.lastReleased = turn.released$;
    this.idle();
  }

  /** No turn runs: a run a late answer asked for starts now (unless the user speaks); else the stage may complete. */
  private idle(): void {
    if (this.userSpeaking && this.pendingRun) return;
    const next = this.pendingRun;
    this.pendingRun = undefined;
    if (next) this.start(next);
    else if (this.done) this.subscriber.complete();
  }

  /** Runs the model on a context as a new turn, once no turn runs and the user is not speaking (no talking over them). */
  private runLater(context: LLMContext): void {
    if (this.turn || this.userSpeaking) this.pendingRun = context;
    else this.start(context);
  }
}
