/**
 * The prompt of a completion at a cursor, built as the official clients build
 * it: the path marker in the language's comment syntax, the prefix and suffix
 * within the token budget, single line or block from the cursor's context
 * (`next_indent` and the stops follow from {@linkcode completionBody}).
 *
 * @module
 */

import type { CompletionRequest } from "../copilot/completion_request.ts";
import { DEFAULT_MAX_TOKENS } from "../copilot/completion_request.ts";
import { languageOfPath, lineComment } from "../copilot/languages.ts";
import { lineEnd } from "./documents.ts";

/** The official clients' context window of the completions model, in tokens. */
const CONTEXT_TOKENS = 8192;
/** The suffix's share of the prompt budget (official: 15 %). */
const SUFFIX_SHARE = 0.15;
/** Characters per token of the budget (the project's estimate, see completion_request.ts). */
const CHARS_PER_TOKEN = 4;

/** Editor language ids that Copilot names otherwise. */
const LANGUAGE_ALIASES: Record<string, string> = {
  sh: "shellscript",
  bash: "shellscript",
  zsh: "shellscript",
  cs: "csharp",
  make: "makefile",
  "c++": "cpp",
  js: "javascript",
  ts: "typescript",
  py: "python",
  text: "plaintext",
};

/** The cursor's line, split at the cursor. */
export interface CursorLine {
  /** Offset of the line's start in the text. */
  start: number;
  /** Text of the line before the cursor. */
  before: string;
  /** Text of the line after the cursor (without the line break). */
  after: string;
}

/** The cursor's line in `text` at `offset`. */
export function cursorLine(text: string, offset: number): CursorLine {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return {
    start,
    before: text.slice(start, offset),
    after: text.slice(offset, lineEnd(text, start)),
  };
}

/** Copilot's language id for an editor's `languageId` and the file's path. */
export function copilotLanguage(languageId: string, path: string): string {
  const id = languageId.toLowerCase();
  const named = LANGUAGE_ALIASES[id] ?? id;
  if (named === "" || named === "plaintext") return languageOfPath(path) ?? "plaintext";
  return named;
}

/** The `Path:` marker line in `language`'s comment syntax (HTML and CSS comments closed). */
export function pathMarker(language: string, path: string): string {
  const comment = lineComment(language);
  const close = comment === "<!--" ? " -->" : comment === "/*" ? " */" : "";
  return `${comment} Path: ${path}${close}\n`;
}

/**
 * Whether the completion should be one line: there is text after the cursor,
 * or the line before it neither is blank nor opens a block.
 */
export function isSingleLine(line: CursorLine): boolean {
  if (line.after.trim() !== "" && !/^\s*[)\]}>"'`;,]*\s*$/.test(line.after)) return true;
  if (line.before.trim() === "") return false;
  return !/([:{(\[]|=>|->|\bdo|\bthen|\bbegin)\s*$/.test(line.before);
}

/** What the prompt is made from. */
export interface PromptInput {
  /** The document's text. */
  text: string;
  /** The cursor, as an offset in `text`. */
  offset: number;
  /** Copilot's language id. */
  language: string;
  /** The path shown in the marker (relative to the workspace when known). */
  path: string;
  /** Suggestions wanted (3 when cycling). */
  n: number;
}

/** Cuts `text` to its last `max` characters, starting at a line's start. */
function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.length - max;
  const newline = text.indexOf("\n", cut);
  return newline < 0 ? text.slice(cut) : text.slice(newline + 1);
}

/** Cuts `text` to its first `max` characters, ending at a line's end. */
function head(text: string, max: number): string {
  if (text.length <= max) return text;
  const newline = text.lastIndexOf("\n", max);
  return newline < 0 ? text.slice(0, max) : text.slice(0, newline);
}

/** The completions request for a cursor. */
export function promptAt(input: PromptInput): CompletionRequest {
  const { text, offset, language } = input;
  const marker = pathMarker(language, input.path);
  const budget = (CONTEXT_TOKENS - DEFAULT_MAX_TOKENS) * CHARS_PER_TOKEN;
  const suffixBudget = Math.floor(budget * SUFFIX_SHARE);
  const suffix = head(text.slice(offset), suffixBudget);
  const prefix = tail(text.slice(0, offset), budget - suffix.length - marker.length);
  return {
    prompt: marker + prefix,
    suffix,
    language,
    line: isSingleLine(cursorLine(text, offset)),
    n: input.n,
  };
}
