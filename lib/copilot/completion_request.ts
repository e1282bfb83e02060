/**
 * The body of a completions request, as the real plugins send it.
 *
 * @module
 */

import { blockStops, lineComment, serverTrimming } from "./languages.ts";
import { fitPrompt, type FittedPrompt } from "./prompt_budget.ts";

/**
 * The completion model when Copilot's `/models` cannot be read (the official
 * clients' fallback); `/models`' first completion entry wins, `--model` or
 * `COPILOT_MODEL` win over both.
 */
export const DEFAULT_MODEL = "gpt-41-copilot";

/** Default `max_tokens`. */
export const DEFAULT_MAX_TOKENS = 500;

/** What a caller asks to complete. */
export interface CompletionRequest {
  /** Text before the cursor. */
  prompt: string;
  /** Text after the cursor (fill-in-the-middle). */
  suffix?: string;
  /** Language id, e.g. `python`. */
  language?: string;
  /** File path, added to the prompt as a `Path:` comment like the plugins do. */
  path?: string;
  /** One line instead of the whole block. */
  line?: boolean;
  /** Stop sequences; overrides the line/block defaults. */
  stop?: string[];
  /** Upper bound of generated tokens. */
  maxTokens?: number;
  /** Sampling temperature; default by `n` as the plugins do. */
  temperature?: number;
  /** Nucleus sampling. */
  topP?: number;
  /** Number of suggestions. */
  n?: number;
  /** Model name in the URL. */
  model?: string;
}

/** The plugins' temperature for `n` suggestions. */
export function defaultTemperature(n: number): number {
  return n <= 1 ? 0 : n < 10 ? 0.2 : n < 20 ? 0.4 : 0.8;
}

/** Leading whitespace width of the first non-empty line of `suffix`. */
function nextIndent(suffix: string): number {
  const line = suffix.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length - line.trimStart().length;
}

/**
 * A rough token count (4 characters a token), as the body's `extra` wants one
 * and as `copilot serve` reports in `usage`.
 *
 * @example
 * ```ts
 * import { estimateTokens } from "./completion_request.ts";
 * console.assert(estimateTokens("abcde") === 2);
 * ```
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Builds the JSON body of `POST {proxy}/v1/engines/{model}/completions`.
 *
 * @example
 * ```ts
 * import { completionBody } from "./completion_request.ts";
 * const body = completionBody({ prompt: "def f():\n", language: "python" });
 * console.assert(body.stream === true);
 * ```
 */
export function completionBody(request: CompletionRequest): Record<string, unknown> {
  const n = request.n ?? 1;
  const { marker, fitted } = budgetedPrompt(request);
  const prompt = marker + fitted.prefix;
  const suffix = fitted.suffix;
  return {
    prompt,
    suffix,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    temperature: request.temperature ?? defaultTemperature(n),
    top_p: request.topP ?? 1,
    n,
    stop: request.stop ?? (request.line ? ["\n"] : blockStops(request.language)),
    stream: true,
    // LS postOptions: always sent.
    code_annotations: false,
    extra: {
      language: request.language ?? "plaintext",
      next_indent: nextIndent(suffix),
      trim_by_indentation: serverTrimming(request.language),
      prompt_tokens: estimateTokens(prompt),
      suffix_tokens: estimateTokens(suffix),
    },
  };
}

/**
 * The request's prompt cut to the token budget (prompt_budget.ts): the path
 * marker, then as much of the prefix as fits; `fitted` tells what was cut.
 *
 * @example
 * ```ts
 * import { budgetedPrompt } from "./completion_request.ts";
 * const { fitted } = budgetedPrompt({ prompt: "x".repeat(5_000_000) });
 * console.assert(fitted.prefixTokensCut > 1_000_000);
 * ```
 */
export function budgetedPrompt(
  request: CompletionRequest,
): { marker: string; fitted: FittedPrompt } {
  const marker = request.path ? `${lineComment(request.language)} Path: ${request.path}\n` : "";
  return { marker, fitted: fitPrompt(request.prompt, request.suffix ?? "", marker.length) };
}
