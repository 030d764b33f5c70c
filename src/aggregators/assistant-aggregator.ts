import { defer, type OperatorFunction } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import type { Frame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import { emitEach } from '../operators/emit-each';

/**
 * Gathers the `LLMTextFrame`s of each response (between `LLMFullResponseStartFrame` and `LLMFullResponseEndFrame`) into
 * one assistant message of the shared context. An interruption keeps what was said so far and nothing more (the LLM
 * service closes a cancelled response at once, so no later text arrives). Function calls and their results are written to
 * the context by the LLM service itself, in one step, before its follow-up request. Every frame passes through.
 */
export function assistantAggregator(context: LLMContext): OperatorFunction<Frame, Frame> {
  return (source) =>
    defer(() => {
      // The text of the open response; undefined when no response is open.
      let text: string[] | undefined;
      const commit = () => {
        const said = text?.join('') ?? '';
        if (said) context.addMessage({ role: 'assistant', content: said });
        text = undefined;
      };
      return source.pipe(
        emitEach<Frame>((frame, emit) => {
          if (frame === null || typeof frame !== 'object') return emit(malformedFrame(frame)!);
          switch (frame.type) {
            case 'LLMFullResponseStartFrame':
              commit();
              text = [];
              break;
            case 'LLMTextFrame':
              text?.push(frame.text);
              break;
            case 'LLMFullResponseEndFrame':
            case 'InterruptionFrame':
              commit();
              break;
          }
          emit(frame);
        }),
      );
    });
}
