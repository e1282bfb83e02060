/**
 * A suggestion placed in the document: what it replaces (exactly the text it
 * overlaps), and its three answer shapes: an LSP 3.18 inline completion item,
 * a completion-menu item whose `textEdit` is in the original document's
 * coordinates, and GitHub's `getCompletions` entry.
 *
 * @module
 */

import { columnOf, type Position, type PositionEncoding, type Range } from "./documents.ts";
import { cursorLine } from "./prompt.ts";

/** A suggestion at a cursor, in document terms. */
export interface Placed {
  /** Its id (GitHub's `uuid`). */
  uuid: string;
  /** The text inserted at the cursor (trailing whitespace trimmed). */
  text: string;
  /** The cursor. */
  position: Position;
  /** From the cursor to the end of what the suggestion replaces (its line only). */
  range: Range;
  /** The cursor line's text before the cursor. */
  before: string;
  /** The document version it was made for. */
  version: number;
}

/** Inputs of {@linkcode place}. */
export interface PlaceInput {
  /** The document's text. */
  text: string;
  /** The cursor's offset. */
  offset: number;
  /** The cursor. */
  position: Position;
  /** The document's version. */
  version: number;
  /** How positions count. */
  encoding: PositionEncoding;
}

/**
 * Places `suggestion` at the cursor, or undefined when it adds nothing. It
 * replaces the rest of the cursor's line when its first line ends with that
 * rest (the closing `)` an editor typed ahead), else nothing.
 */
export function place(input: PlaceInput, suggestion: string, uuid: string): Placed | undefined {
  const text = suggestion.trimEnd();
  if (text.trim() === "") return undefined;
  const line = cursorLine(input.text, input.offset);
  const firstLine = text.split("\n", 1)[0]!;
  const rest = line.after.trim();
  const overlaps = rest !== "" && !text.includes("\n") && firstLine.trimEnd().endsWith(rest);
  const end = overlaps
    ? {
      line: input.position.line,
      character: input.position.character + columnOf(line.after, input.encoding),
    }
    : input.position;
  if (overlaps && text.trimEnd() === line.after.trimEnd()) return undefined;
  return {
    uuid,
    text,
    position: input.position,
    range: { start: input.position, end },
    before: line.before,
    version: input.version,
  };
}

/** The command an inline item carries, so the server hears of an acceptance. */
export const ACCEPT_COMMAND = "github.copilot.didAcceptCompletionItem";

/** An LSP 3.18 `InlineCompletionItem`. */
export function inlineItem(placed: Placed) {
  return {
    insertText: placed.text,
    range: placed.range,
    command: {
      title: "Accept Copilot suggestion",
      command: ACCEPT_COMMAND,
      arguments: [placed.uuid],
    },
  };
}

/** The word (identifier characters) at the end of `before`. */
function wordBefore(before: string): string {
  return /[\p{L}\p{N}_$]*$/u.exec(before)?.[0] ?? "";
}

/**
 * A `CompletionItem`: its `textEdit` replaces the word before the cursor
 * (so clients that filter by it keep the item) up to the overlapped end, and
 * inserts the word plus the suggestion, every line's indentation kept.
 */
export function menuItem(placed: Placed, language: string, encoding: PositionEncoding) {
  const word = wordBefore(placed.before);
  const newText = word + placed.text;
  const start = {
    line: placed.position.line,
    character: placed.position.character - columnOf(word, encoding),
  };
  const lines = newText.split("\n");
  const shown = lines.find((line) => line.trim() !== "")!.trim();
  const label = lines.length > 1 ? `${shown}…` : shown;
  return {
    label: label.length > 80 ? `${label.slice(0, 79)}…` : label,
    kind: 1, // Text
    detail: "Copilot",
    documentation: {
      kind: "markdown",
      value: "```" + language + "\n" + placed.before + placed.text + "\n```",
    },
    filterText: lines[0]!,
    sortText: "0", // first: Emacs' JSON parser rejects \u0000
    preselect: true,
    insertTextFormat: 1, // PlainText: `$` and `}` stay as they are
    insertTextMode: 1, // asIs: the editor adds no indentation
    textEdit: { range: { start, end: placed.range.end }, newText },
    data: { uuid: placed.uuid },
  };
}

/** GitHub's `getCompletions` entry: `text` and `range` start at the line's start. */
export function githubCompletion(placed: Placed) {
  return {
    uuid: placed.uuid,
    text: placed.before + placed.text,
    range: { start: { line: placed.position.line, character: 0 }, end: placed.range.end },
    displayText: placed.text,
    position: placed.position,
    docVersion: placed.version,
  };
}
