import { defer, of, type Observable, type OperatorFunction } from 'rxjs';
import { LLMContext } from '../context/llm-context';
import { LLMFullResponseEndFrame, type Frame, type FunctionCallFromLLM, type LLMUpdateSettingsFrame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import type { FrameSink } from '../operators/emit-each';
import { passOrSwitch, type PassOrSwitchControls, type PassOrSwitchHooks } from '../operators/pass-or-switch';
import { CallLedger } from './call-ledger';
import type { LateOutcome } from './function-calls';
import type { OpenResponseTracker } from './response';

/** What the operator needs from its service. */
export interface OperatorDeps {
  /** The frames of one turn on a context; `leading` (what closes the replaced turn) goes first. */
  respond(context: LLMContext, tracker: OpenResponseTracker, leading: readonly Frame[]): Observable<Frame>;
  /** Applies a settings frame; a bad delta is emitted as an ErrorFrame. */
  applySettings(frame: LLMUpdateSettingsFrame, emit: FrameSink): void;
  /** Announces cancelled handlers (the `functionCallsCancelled` event). */
  cancelled(calls: readonly FunctionCallFromLLM[]): void;
  /** Writes a surviving call's late answer into its context (call and output together, cleaned). */
  writeLate(outcome: LateOutcome): void;
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
]);

/** What a turn-starting frame asks for, once the context it names is known. */
type TurnCommand = { readonly run: LLMContext } | { readonly interrupt: Frame };

/**
 * The LLM stage: route each frame, switch to a new turn on a context (cancelling the one in flight), and pass every
 * other frame through. Consumes context, run, append, update, tools, tool-choice and settings frames, in order;
 * forwards an interruption after closing what it cancelled (the open response, the cancelled calls). A handler that
 * survives barge-in answers through the same stage, and the model runs on its result once the stage is idle.
 * Failures are ErrorFrames; the output never errors.
 */
export function llmOperator<T extends { readonly type: string } = never>(deps: OperatorDeps): OperatorFunction<Frame | T, Frame | T> {
  return (source) =>
    defer(() => {
      const stage = new PipelineStage(deps);
      // The previous turn is unsubscribed when the projection runs, so the stage says what it left open.
      return (source as Observable<Frame>).pipe(passOrSwitch(stage.route, stage.project, stage)) as Observable<Frame | T>;
    });
}

/**
 * One pipeline's state, in one object (a thousand open sessions pay for fields, not for a dozen closures each): the
 * context frames append to, the open response, the calls not ended, and what surviving handlers need from the stage.
 */
class PipelineStage implements OpenResponseTracker, PassOrSwitchHooks<TurnCommand, Frame> {
  /** Whether Start went out without its End: a cancelled response is closed before whatever replaces it. */
  open = false;
  /** The context `LLMMessagesAppendFrame` appends to: the last one an `LLMContextFrame` brought, or a fresh one. */
  private context = new LLMContext();
  /** The stage's own pass and switchTo, for what comes from surviving handlers rather than the source. */
  private controls: PassOrSwitchControls<TurnCommand, Frame> | undefined;
  /** Whether a turn runs now: a run asked for by a late answer waits for it to end. */
  private turnRunning = false;
  /** The context a late answer asked to run on while a turn was running. */
  private pendingRun: LLMContext | undefined;
  /** The calls not ended: made when the first call is announced (most sessions, most of the time, have none). */
  private ledger: CallLedger | undefined;

  constructor(private readonly deps: OperatorDeps) {}

  /** The pipeline's calls not ended. */
  get calls(): CallLedger {
    return (this.ledger ??= new CallLedger({
      cancelled: (cancelled) => this.deps.cancelled(cancelled),
      keep: (teardown) => this.controls?.add(teardown),
      late: (frames, outcome) => {
        if (outcome) this.deps.writeLate(outcome);
        for (const frame of frames) this.controls?.pass(frame);
        if (outcome?.runLlm) this.runLater(outcome.context);
      },
      runLater: (context) => this.runLater(context),
    }));
  }

  /** Context, append and interruption frames start or cancel the turn; settings frames are applied; the rest pass. */
  readonly route = (frame: Frame, pass: FrameSink, switchTo: (command: TurnCommand) => void): void => {
    if (CONSUMED.has(frame?.type)) {
      // A plain-JavaScript caller's malformed frame becomes an ErrorFrame naming the field; the pipeline goes on.
      const problem = malformedFrame(frame);
      if (problem) return pass(problem);
    } else if (frame === null || typeof frame !== 'object') return pass(malformedFrame(frame)!);
    if (frame.type === 'LLMContextFrame') {
      this.context = frame.context;
      switchTo({ run: this.context });
    } else if (frame.type === 'LLMMessagesAppendFrame') {
      this.context.addMessages(frame.messages);
      if (frame.runLlm) switchTo({ run: this.context });
    } else if (frame.type === 'LLMMessagesUpdateFrame') {
      this.context.setMessages(frame.messages);
      if (frame.runLlm) switchTo({ run: this.context });
    } else if (frame.type === 'LLMRunFrame') switchTo({ run: this.context });
    else if (frame.type === 'LLMSetToolsFrame') this.context.setTools(frame.tools);
    else if (frame.type === 'LLMSetToolChoiceFrame') this.context.setToolChoice(frame.toolChoice);
    else if (frame.type === 'InterruptionFrame') switchTo({ interrupt: frame });
    else if (frame.type === 'LLMUpdateSettingsFrame') this.deps.applySettings(frame, pass);
    else pass(frame);
  };

  /** A command's turn: what closes the cancelled one first, then the new response or the interruption. */
  readonly project = (command: TurnCommand): Observable<Frame> => {
    const closing = this.closeTurn();
    this.turnRunning = 'run' in command;
    if ('run' in command) return this.deps.respond(command.run, this, closing);
    return of(...closing, command.interrupt);
  };

  connect(controls: PassOrSwitchControls<TurnCommand, Frame>): void {
    this.controls = controls;
  }

  idle(): void {
    this.turnRunning = false;
    const next = this.pendingRun;
    this.pendingRun = undefined;
    if (next) this.controls?.switchTo({ run: next });
  }

  /** Runs the model on a context as a new turn, once no turn runs. */
  private runLater(context: LLMContext): void {
    if (this.turnRunning) this.pendingRun = context;
    else this.controls?.switchTo({ run: context });
  }

  /** The End of an open response and a cancel frame for each call not ended: what a cancelled turn leaves to close. */
  private closeTurn(): Frame[] {
    const closing: Frame[] = [];
    if (this.open) {
      this.open = false;
      closing.push(new LLMFullResponseEndFrame());
    }
    if (this.ledger) closing.push(...this.ledger.cancelPending());
    return closing;
  }
}
