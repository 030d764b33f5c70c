import { ErrorFrame } from './llm-output-frames';

/** The one way the library turns an error into a frame (never fatal: the next context still runs); `prefix` names who failed. */
export function errorFrameFor(error: Error, prefix?: string): ErrorFrame {
  return new ErrorFrame({ error: prefix ? `${prefix}: ${error.message}` : error.message, exception: error });
}
