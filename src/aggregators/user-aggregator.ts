import { defer, type OperatorFunction } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import { LLMContextFrame, type Frame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import { emitEach } from '../operators/emit-each';

/**
 * Gathers user input (`TranscriptionFrame`, `TextFrame`) into a user message of the shared context and emits an
 * `LLMContextFrame`. Input comes in at once unless the user is speaking (between `UserStartedSpeakingFrame` and
 * `UserStoppedSpeakingFrame`): then it is gathered and sent as one message when they stop. Interim transcriptions are
 * folded into the final one (consumed, never added). Every other frame passes through.
 */
export function userAggregator(context: LLMContext): OperatorFunction<Frame, Frame> {
  return (source) =>
    defer(() => {
      // Final user text not yet in the context: gathered while the user speaks.
      let pending: string[] = [];
      // Whether the user is speaking: input then waits for the stop.
      let speaking = false;
      const flush = (emit: (frame: Frame) => void) => {
        if (pending.length === 0) return;
        context.addUserMessage(pending.join(' '));
        pending = [];
        emit(new LLMContextFrame({ context }));
      };
      return source.pipe(
        emitEach<Frame>((frame, emit) => {
          if (frame === null || typeof frame !== 'object') return emit(malformedFrame(frame)!);
          switch (frame.type) {
            case 'UserStartedSpeakingFrame':
              speaking = true;
              emit(frame);
              return;
            case 'UserStoppedSpeakingFrame':
              speaking = false;
              emit(frame);
              flush(emit);
              return;
            case 'InterimTranscriptionFrame':
              return;
            case 'TranscriptionFrame':
            case 'TextFrame': {
              // A plain-JavaScript `new TextFrame('Hi')` has no text field: an ErrorFrame says so, the pipeline goes on.
              const problem = malformedFrame(frame);
              if (problem) return emit(problem);
              const text = frame.text.trim();
              if (text) pending.push(text);
              if (!speaking) flush(emit);
              return;
            }
            default:
              emit(frame);
          }
        }),
      );
    });
}
