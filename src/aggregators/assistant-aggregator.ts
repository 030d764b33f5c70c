import { defer, type OperatorFunction } from 'rxjs';
import type { LLMContext } from '../context/llm-context';
import type { Frame } from '../frames';
import { malformedFrame } from '../frames/frame-checks';
import { emitEach } from '../operators/emit-each';

/**
 * Gathers the `LLMTextFrame`s of each response (between `LLMFullResponseStartFrame` and `LLMFullResponseEndFrame`) into
 * one assistant message of the shared context. An interruption keeps what was said so far and nothing more (the LLM
 * service closes a cancelled response at once, so no later text arrives). A response that asked for function calls is
 * written by the LLM service itself (`textInContext` on its End): its text, reasoning and calls with their outputs, in
 * one step, before its follow-up request, however long the frames take to get here. Every frame passes through.
 */
export function assistantAggregator(context: LLMContext): OperatorFunction<Frame, Frame> {
  return (source) =>
    defer(() => {
      // The text of the open response; undefined when no response is open.
      let text: string[] | undefined;
      const commit = (incomplete = false, itemId?: string) => {
        const said = text?.join('') ?? '';
        if (said) context.addMessage({ role: 'assistant', content: said, ...(incomplete ? { status: 'incomplete' as const, ...(itemId ? { itemId } : {}) } : {}) });
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
              // A response with function calls has its text written by the service, with the calls, in order.
              if (frame.textInContext) text = undefined;
              // A failed or cut-off response's text is what the user heard, kept marked as partial.
              commit(frame.incomplete, frame.itemId);
              break;
            case 'InterruptionFrame':
              commit(true);
              break;
          }
          emit(frame);
        }),
      );
    });
}
