import { defer, of, type Observable, type OperatorFunction } from 'rxjs';
import { LLMContext } from '../context/llm-context';
import { LLMFullResponseEndFrame, type Frame, type LLMUpdateSettingsFrame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import type { FrameSink } from '../operators/emit-each';
import { passOrSwitch } from '../operators/pass-or-switch';
import type { OpenResponseTracker } from './response';

/** What the operator needs from its service. */
export interface OperatorDeps {
  /** The frames of one turn on a context; `leading` (the End of a replaced response) goes first. */
  respond(context: LLMContext, tracker: OpenResponseTracker, leading?: Frame): Observable<Frame>;
  /** Applies a settings frame; a bad delta is emitted as an ErrorFrame. */
  applySettings(frame: LLMUpdateSettingsFrame, emit: FrameSink): void;
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
 * other frame through. Consumes context, run, append, update, tools, tool-choice and settings frames, in order; forwards an interruption after
 * closing the response it cancelled. Failures are ErrorFrames; the output never errors.
 */
export function llmOperator<T extends { readonly type: string } = never>(deps: OperatorDeps): OperatorFunction<Frame | T, Frame | T> {
  return (source) =>
    defer(() => {
      // The context `LLMMessagesAppendFrame` appends to: the last one an `LLMContextFrame` brought, or a fresh one.
      let context = new LLMContext();
      // Whether Start went out without its End: a cancelled response is closed before whatever replaces it.
      const tracker: OpenResponseTracker = { open: false };
      const closeOpenResponse = (): LLMFullResponseEndFrame | undefined => {
        if (!tracker.open) return undefined;
        tracker.open = false;
        return new LLMFullResponseEndFrame();
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
        // The previous turn is unsubscribed when the projection runs, so `tracker` says whether it left a response open.
        passOrSwitch(route, (command: TurnCommand) => {
          const closing = closeOpenResponse();
          if ('run' in command) return deps.respond(command.run, tracker, closing);
          return closing ? of(closing, command.interrupt) : of(command.interrupt);
        }),
      ) as Observable<Frame | T>;
    });
}
