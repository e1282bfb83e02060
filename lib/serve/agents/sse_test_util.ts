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

/** The Responses event names of a text-only answer streamed in `deltas` text deltas. */
export function textResponseEvents(deltas: number): string[] {
  return [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.content_part.added",
    ...Array<string>(deltas).fill("response.output_text.delta"),
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.completed",
  ];
}
