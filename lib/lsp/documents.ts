/**
 * The open documents, as the editor sends them (`didOpen`, `didChange` full
 * and incremental, `didClose`), and the conversion between LSP positions
 * (UTF-16 code units by default, UTF-8 bytes when negotiated) and offsets in
 * the text.
 *
 * @module
 */

/** How `Position.character` counts: the LSP's `PositionEncodingKind`. */
export type PositionEncoding = "utf-16" | "utf-8";

/** An LSP position. */
export interface Position {
  /** Zero-based line. */
  line: number;
  /** Zero-based column in the negotiated encoding. */
  character: number;
}

/** An LSP range. */
export interface Range {
  /** Inclusive start. */
  start: Position;
  /** Exclusive end. */
  end: Position;
}

/** One open document. */
export interface TextDocument {
  /** Its URI, as the editor names it. */
  uri: string;
  /** The editor's language id. */
  languageId: string;
  /** The editor's version, raised by every change. */
  version: number;
  /** The whole text. */
  text: string;
}

/** One entry of `didChange`'s `contentChanges`. */
export interface ContentChange {
  /** The replaced range; absent for a full-text change. */
  range?: Range;
  /** The new text. */
  text: string;
}

/** Offset (UTF-16 index) of the start of line `line`, or -1 past the end. */
function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return -1;
    offset = next + 1;
  }
  return offset;
}

/** Offset one past the last character of the line starting at `start` (before `\r\n`/`\n`). */
export function lineEnd(text: string, start: number): number {
  const newline = text.indexOf("\n", start);
  const end = newline < 0 ? text.length : newline;
  return end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** UTF-8 length of the code point starting with UTF-16 unit `unit`. */
function utf8Width(unit: number): number {
  return unit < 0x80 ? 1 : unit < 0x800 ? 2 : unit >= 0xd800 && unit < 0xdc00 ? 4 : 3;
}

/**
 * The offset of `position` in `text`; a column past the line's end clamps to
 * it, a line past the end to the text's end (as the LSP says).
 */
export function offsetAt(text: string, position: Position, encoding: PositionEncoding): number {
  const start = lineStart(text, position.line);
  if (start < 0) return text.length;
  const end = lineEnd(text, start);
  if (encoding === "utf-16") return Math.min(start + Math.max(0, position.character), end);
  let offset = start;
  for (let bytes = 0; offset < end && bytes < position.character;) {
    const unit = text.charCodeAt(offset);
    bytes += utf8Width(unit);
    offset += unit >= 0xd800 && unit < 0xdc00 ? 2 : 1;
  }
  return offset;
}

/** The position of `offset` in `text`. */
export function positionAt(text: string, offset: number, encoding: PositionEncoding): Position {
  let line = 0;
  let start = 0;
  for (
    let next = text.indexOf("\n");
    next >= 0 && next < offset;
    next = text.indexOf("\n", start)
  ) {
    line++;
    start = next + 1;
  }
  return { line, character: columnOf(text.slice(start, offset), encoding) };
}

/** Width of `segment` (no line break in it) in `encoding`. */
export function columnOf(segment: string, encoding: PositionEncoding): number {
  if (encoding === "utf-16") return segment.length;
  let bytes = 0;
  for (let i = 0; i < segment.length; i++) {
    const unit = segment.charCodeAt(i);
    bytes += utf8Width(unit);
    if (unit >= 0xd800 && unit < 0xdc00) i++;
  }
  return bytes;
}

/** Applies one `didChange` entry to `text`. */
export function applyChange(text: string, change: ContentChange, encoding: PositionEncoding) {
  if (!change.range) return change.text;
  const start = offsetAt(text, change.range.start, encoding);
  const end = Math.max(start, offsetAt(text, change.range.end, encoding));
  return text.slice(0, start) + change.text + text.slice(end);
}

/** The open documents by URI. */
export class Documents {
  #open = new Map<string, TextDocument>();
  /** How positions count; set by `initialize`. */
  encoding: PositionEncoding = "utf-16";

  /** `textDocument/didOpen`. */
  open(document: TextDocument): void {
    this.#open.set(document.uri, { ...document });
  }

  /** `textDocument/didChange`; ignored for a document that is not open. */
  change(uri: string, version: number, changes: ContentChange[]): void {
    const document = this.#open.get(uri);
    if (!document) return;
    for (const change of changes) document.text = applyChange(document.text, change, this.encoding);
    document.version = version;
  }

  /** `textDocument/didClose`. */
  close(uri: string): void {
    this.#open.delete(uri);
  }

  /** The open document `uri`. */
  get(uri: string): TextDocument | undefined {
    return this.#open.get(uri);
  }

  /** Number of open documents. */
  get size(): number {
    return this.#open.size;
  }
}
