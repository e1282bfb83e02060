/**
 * Test helper: splits SSE event strings made by the translators into `{event, data}` pairs.
 *
 * @module
 */

/** One parsed event. */
export interface ParsedEvent {
  /** The `event:` name. */
  event: string;
  /** The parsed `data:` JSON. */
  // deno-lint-ignore no-explicit-any
  data: any;
}

/** Parses `event: x\ndata: json\n\n` strings (each string one or more events). */
export function parseEvents(chunks: string[]): ParsedEvent[] {
  return chunks.join("").split("\n\n").filter((block) => block !== "").map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
    const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
    return { event, data: JSON.parse(data) };
  });
}
