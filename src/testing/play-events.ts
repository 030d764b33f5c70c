import type { ResponseStreamEvent } from 'openai/resources/responses/responses';

/** How a scripted stream is paced and cut: the `stream` reply's fields that both transports honour. */
export interface EventScript<E = ResponseStreamEvent> {
  readonly events: readonly E[];
  readonly eventDelayMs?: number;
  readonly stallAfter?: number;
  readonly dropAfter?: number;
}

/** Where the events go: an HTTP response or a WebSocket. */
export interface EventSink<E = ResponseStreamEvent> {
  /** Whether the client is still there. */
  readonly isOpen: () => boolean;
  readonly write: (event: E) => void;
  /** Cut the connection, as a dropped network would. */
  readonly drop: () => Promise<void> | void;
  /** Hold the connection open and send nothing more. */
  readonly stall: () => Promise<void> | void;
  /** All events sent. */
  readonly end: () => void;
  /** The client left before the events were all sent. */
  readonly gone: () => void;
  readonly sleep: (ms: number | undefined) => Promise<void>;
}

/**
 * Plays a scripted stream into a sink, the same way for every transport: `eventDelayMs` before each event, a stall at
 * `stallAfter` (also when it is past the last event: the connection then stays open), a drop at `dropAfter`.
 */
export async function playEvents<E>(script: EventScript<E>, sink: EventSink<E>): Promise<void> {
  for (const [index, event] of script.events.entries()) {
    if (index === script.stallAfter) return sink.stall();
    if (index === script.dropAfter) return sink.drop();
    await sink.sleep(script.eventDelayMs);
    if (!sink.isOpen()) return sink.gone();
    sink.write(event);
  }
  if (script.stallAfter !== undefined && script.stallAfter >= script.events.length) return sink.stall();
  sink.end();
}
