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
  // Whatever follows an authorization scheme (not a URL path ending in /token).
  /(?<!\/)\b(Bearer|token)\s+[^\s"',]+/gi,
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
