/**
 * Hides tokens in text before it is logged or shown.
 *
 * @module
 */

const TOKEN_PATTERNS: RegExp[] = [
  // GitHub tokens: ghu_, gho_, ghp_, ghs_, ghr_, github_pat_.
  /\b(gh[oupsr]_|github_pat_)[A-Za-z0-9_]+/g,
  // Copilot session tokens: "tid=...;exp=...;...:signature".
  /\btid=[^\s"',]+/g,
  // Whatever follows `Bearer` (not a URL path ending in /bearer).
  /(?<!\/)\b(Bearer)\s+[^\s"',]+/gi,
  // A value after the `token` scheme: one with a digit or a symbol, or a long one; the word
  // alone ("token expired") is not a secret.
  /(?<!\/)\b(token)\s+(?=[^\s"',]*[0-9_=.+\/-]|[^\s"',]{20})[^\s"',]+/gi,
];

/**
 * Replaces every token-looking part of `text` with `[REDACTED]`.
 *
 * @example
 * ```ts
 * import { redact } from "./redact.ts";
 * console.assert(redact("Bearer tid=1;exp=2:ab") === "Bearer [REDACTED]");
 * ```
 */
export function redact(text: string): string {
  return TOKEN_PATTERNS.reduce(
    (out, pattern) =>
      out.replace(
        pattern,
        (_match, scheme?: string) =>
          /^(bearer|token)$/i.test(scheme ?? "") ? `${scheme} [REDACTED]` : "[REDACTED]",
      ),
    text,
  );
}
