/**
 * Tiny guards for reading untrusted JSON in the agent translators.
 *
 * @module
 */

/** A parsed JSON object. */
export type Json = Record<string, unknown>;

/** Whether `value` is a non-array object. */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The entries of `value` that are objects, or none when it is not an array. */
export function objectsOf(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
