/**
 * The bounds of the completion options, and the one check of a number against
 * them, shared by `copilot complete` flags and `copilot serve` request bodies.
 *
 * @module
 */

/** An allowed range of a number: `min` to `max` inclusive, whole numbers only when `integer`. */
export interface NumberRange {
  /** Smallest value allowed. */
  readonly min: number;
  /** Largest value allowed. */
  readonly max: number;
  /** Whether only whole numbers are allowed. */
  readonly integer?: boolean;
}

/** Largest `n` (number of suggestions) accepted. */
export const MAX_N = 10;

/** Largest `max_tokens` accepted. */
export const MAX_TOKENS_LIMIT = 100_000;

/** `n`: 1 to {@linkcode MAX_N} suggestions. */
export const N_RANGE: NumberRange = { min: 1, max: MAX_N, integer: true };

/** `max_tokens`: 1 to {@linkcode MAX_TOKENS_LIMIT}. */
export const MAX_TOKENS_RANGE: NumberRange = { min: 1, max: MAX_TOKENS_LIMIT, integer: true };

/** `temperature`: 0 to 2. */
export const TEMPERATURE_RANGE: NumberRange = { min: 0, max: 2 };

/** `top_p`: 0 to 1. */
export const TOP_P_RANGE: NumberRange = { min: 0, max: 1 };

/**
 * Whether `value` is a finite number within `range`.
 *
 * @example
 * ```ts
 * import { inRange, N_RANGE } from "./limits.ts";
 * console.assert(inRange(3, N_RANGE) && !inRange(2.5, N_RANGE) && !inRange("3", N_RANGE));
 * ```
 */
export function inRange(value: unknown, range: NumberRange): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= range.min &&
    value <= range.max && (!range.integer || Number.isInteger(value));
}

/** `--timeout`: seconds, more than 0, at most a day. */
export const TIMEOUT_RANGE: NumberRange = { min: 0.001, max: 86_400 };

/** `copilot lsp --debounce`: whole milliseconds, at most 10 s. */
export const DEBOUNCE_RANGE: NumberRange = { min: 0, max: 10_000, integer: true };

/** A TCP port (0: any free one). */
export const PORT_RANGE: NumberRange = { min: 0, max: 65535, integer: true };

/** The message for a prompt with nothing to complete (the CLI and serve alike). */
export const EMPTY_PROMPT = "empty prompt: nothing to complete";

/**
 * Whether `prompt` has nothing to complete: empty or only white space. The one
 * rule for `copilot complete` (exit 2) and `serve` (400).
 *
 * @example
 * ```ts
 * import { isBlankPrompt } from "./limits.ts";
 * console.assert(isBlankPrompt(" \n") && !isBlankPrompt("def f():"));
 * ```
 */
export function isBlankPrompt(prompt: string): boolean {
  return prompt.trim() === "";
}
