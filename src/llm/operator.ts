import { defer, of, type Observable, type OperatorFunction } from 'rxjs';
import { LLMContext } from '../context/llm-context';
import { LLMFullResponseEndFrame, type Frame, type FunctionCallFromLLM, type LLMUpdateSettingsFrame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import type { FrameSink } from '../operators/emit-each';
import { passOrSwitch, type PassOrSwitchControls } from '../operators/pass-or-switch';
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
      // The context `LLMMessagesAppendFrame` appends to: the last one an `LLMContextFrame` brought, or a fresh one.
      let context = new LLMContext();
      // The stage's own pass and switchTo, for what comes from surviving handlers rather than the source.
      let controls: PassOrSwitchControls<TurnCommand, Frame> | undefined;
      // Whether a turn runs now: a run asked for by a late answer waits for it to end.
      let turnRunning = false;
      // The context a late answer asked to run on while a turn was running.
      let pendingRun: LLMContext | undefined;
      const runLater = (on: LLMContext) => {
        if (turnRunning) pendingRun = on;
        else controls?.switchTo({ run: on });
      };
      const calls = new CallLedger({
        cancelled: (cancelled) => deps.cancelled(cancelled),
        keep: (teardown) => controls?.add(teardown),
        late: (frames, outcome) => {
          if (outcome) deps.writeLate(outcome);
          for (const frame of frames) controls?.pass(frame);
          if (outcome?.runLlm) runLater(outcome.context);
        },
        runLater,
      });
      // Whether Start went out without its End, and the calls not ended: a cancel closes both before what replaces it.
      const tracker: OpenResponseTracker = { open: false, calls };
      const closeTurn = (): Frame[] => {
        const closing: Frame[] = [];
        if (tracker.open) {
          tracker.open = false;
          closing.push(new LLMFullResponseEndFrame());
        }
        closing.push(...calls.cancelPending());
        return closing;
      };
      // Context, append and interruption frames start or cancel the turn; settings frames are applied; the rest pass.
      const route = (frame: Frame, pass: FrameSink, switchTo: (command: TurnCommand) => void): void => {
        if (CONSUMED.has(frame?.type)) {
          // A plain-JavaScript caller's malformed frame becomes an ErrorFrame naming the field; the pipeline goes on.
          const problem = malformedFrame(frame);
          if (problem) return pass(problem);
        } else if (frame === null || typeof frame !== 'object') return pass(malformedFrame(frame)!);
        if (frame.type === 'LLMContextFrame') {
          context = frame.context;
          switchTo({ run: context });
        } else if (frame.type === 'LLMMessagesAppendFrame') {
          context.addMessages(frame.messages);
          if (frame.runLlm) switchTo({ run: context });
        } else if (frame.type === 'LLMMessagesUpdateFrame') {
          context.setMessages(frame.messages);
          if (frame.runLlm) switchTo({ run: context });
        } else if (frame.type === 'LLMRunFrame') switchTo({ run: context });
        else if (frame.type === 'LLMSetToolsFrame') context.setTools(frame.tools);
        else if (frame.type === 'LLMSetToolChoiceFrame') context.setToolChoice(frame.toolChoice);
        else if (frame.type === 'InterruptionFrame') switchTo({ interrupt: frame });
        else if (frame.type === 'LLMUpdateSettingsFrame') deps.applySettings(frame, pass);
        else pass(frame);
      };
      return (source as Observable<Frame>).pipe(
        // The previous turn is unsubscribed when the projection runs, so the tracker says what it left open.
        passOrSwitch(
          route,
          (command: TurnCommand) => {
            const closing = closeTurn();
            turnRunning = 'run' in command;
            if ('run' in command) return deps.respond(command.run, tracker, closing);
            return of(...closing, command.interrupt);
          },
          {
            connect: (stage) => (controls = stage),
            idle: () => {
              turnRunning = false;
              const next = pendingRun;
              pendingRun = undefined;
              if (next) controls?.switchTo({ run: next });
            },
          },
        ),
      ) as Observable<Frame | T>;
    });
}
