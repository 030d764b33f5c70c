/** The "not given" sentinel: a setting that is `NOT_GIVEN` is left out of the request (null is sent as null). */
export const NOT_GIVEN: unique symbol = Symbol.for('rx-responses.NOT_GIVEN') as never;

/** The type of `NOT_GIVEN`. */
export type NotGiven = typeof NOT_GIVEN;

/** Whether a value was given (is not `NOT_GIVEN`). */
export function isGiven<T>(value: T | NotGiven): value is T {
  return value !== NOT_GIVEN;
}
