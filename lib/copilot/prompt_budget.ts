/**
 * The prompt's token budget, as the official clients cut it
 * (docs/copilot-protocol.md §3.4): 7692 tokens for prefix and suffix; with a
 * suffix, 5 are reserved for its encoding, the suffix gets 15 % of the rest
 * (1154) and the prefix what remains (6533). What is dropped is what lies
 * farthest from the cursor: the start of the prefix, the end of the suffix.
 *
 * Tokens are estimated at 4 characters each (no tokenizer ships with the
 * tool), the same estimate the body's `extra.*_tokens` carry.
 *
 * @module
 */

/** Total tokens for prefix plus suffix (`DEFAULT_MAX_PROMPT_LENGTH` = 8192 − 500). */
export const MAX_PROMPT_TOKENS = 7692;

/** Tokens reserved for encoding a suffix (`TOKENS_RESERVED_FOR_SUFFIX_ENCODING`). */
export const SUFFIX_RESERVED_TOKENS = 5;

/** The suffix's share of the budget in percent (`DEFAULT_SUFFIX_PERCENT`). */
export const SUFFIX_PERCENT = 15;

/** Characters per estimated token. */
const CHARS_PER_TOKEN = 4;

/** How many tokens prefix and suffix may have. */
export interface PromptLimits {
  /** Tokens for the prefix (path marker included). */
  prefix: number;
  /** Tokens for the suffix. */
  suffix: number;
}

/**
 * The limits for a prompt with or without a suffix.
 *
 * @example
 * ```ts
 * import { promptLimits } from "./prompt_budget.ts";
 * console.assert(promptLimits(true).prefix === 6533 && promptLimits(true).suffix === 1154);
 * console.assert(promptLimits(false).prefix === 7692);
 * ```
 */
export function promptLimits(hasSuffix: boolean): PromptLimits {
  if (!hasSuffix) return { prefix: MAX_PROMPT_TOKENS, suffix: 0 };
  const available = MAX_PROMPT_TOKENS - SUFFIX_RESERVED_TOKENS;
  const suffix = Math.ceil(available * SUFFIX_PERCENT / 100);
  return { prefix: available - suffix, suffix };
}

/** A prompt cut to the budget, and how much was dropped. */
export interface FittedPrompt {
  /** The prefix sent (its end kept). */
  prefix: string;
  /** The suffix sent (its start kept). */
  suffix: string;
  /** Characters dropped from the start of the prefix. */
  prefixCharsCut: number;
  /** Characters dropped from the end of the suffix. */
  suffixCharsCut: number;
  /** Estimated tokens dropped from the prefix. */
  prefixTokensCut: number;
  /** Estimated tokens dropped from the suffix. */
  suffixTokensCut: number;
}

/** True when the UTF-16 unit at `i` is the second half of a surrogate pair. */
function isLowSurrogate(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Cuts `prefix` (of which `fixedPrefix` characters, e.g. a path marker, are
 * spent before it) and `suffix` to the budget.
 *
 * @example
 * ```ts
 * import { fitPrompt } from "./prompt_budget.ts";
 * const fitted = fitPrompt("x".repeat(40_000), "");
 * console.assert(fitted.prefix.length === 7692 * 4 && fitted.prefixTokensCut === 2308);
 * ```
 */
export function fitPrompt(prefix: string, suffix: string, fixedPrefix = 0): FittedPrompt {
  const limits = promptLimits(suffix !== "");
  const prefixRoom = Math.max(0, limits.prefix * CHARS_PER_TOKEN - fixedPrefix);
  const suffixRoom = limits.suffix * CHARS_PER_TOKEN;
  let start = Math.max(0, prefix.length - prefixRoom);
  if (start > 0 && isLowSurrogate(prefix, start)) start++;
  let end = Math.min(suffix.length, suffixRoom);
  if (end < suffix.length && isLowSurrogate(suffix, end)) end--;
  const keptPrefix = prefix.slice(start);
  const keptSuffix = suffix.slice(0, end);
  return {
    prefix: keptPrefix,
    suffix: keptSuffix,
    prefixCharsCut: start,
    suffixCharsCut: suffix.length - end,
    prefixTokensCut: tokens(prefix.length) - tokens(keptPrefix.length),
    suffixTokensCut: tokens(suffix.length) - tokens(keptSuffix.length),
  };
}

function tokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
