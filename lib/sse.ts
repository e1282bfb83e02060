/**
 * Server-sent events as the WHATWG spec reads them, from raw bytes: lines end
 * in `\n`, `\r\n` or `\r` (split anywhere across reads, UTF-8 decoded in
 * streaming mode), `data:` lines join with `\n`, `:` lines are comments.
 *
 * Unlike std's `ServerSentEventParseStream`, lines that are not SSE at all are
 * kept (as `other`): Copilot may end a stream with a bare JSON error.
 *
 * @module
 */

import { TextLineStream } from "@std/streams/text-line-stream";

/** One parsed event, or one line that is not SSE. */
export type SseItem = { data: string; event?: string } | { other: string };

const FIELD = /^(data|event|id|retry)(?::|$)/;

/**
 * Parses an SSE byte stream.
 *
 * @example
 * ```ts
 * import { parseSse } from "./sse.ts";
 * const bytes = new TextEncoder().encode("data: a\r\n\r\ndata:b\n\n");
 * const items = await Array.fromAsync(parseSse(ReadableStream.from([bytes])));
 * console.assert(items.length === 2);
 * ```
 */
export function parseSse(body: ReadableStream<Uint8Array>): ReadableStream<SseItem> {
  let data: string[] = [];
  let event: string | undefined;
  const dispatch = (controller: TransformStreamDefaultController<SseItem>) => {
    if (data.length > 0) controller.enqueue({ data: data.join("\n"), ...(event ? { event } : {}) });
    data = [];
    event = undefined;
  };
  return body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new TextLineStream({ allowCR: true }))
    .pipeThrough(
      new TransformStream<string, SseItem>({
        transform(line, controller) {
          if (line === "") return dispatch(controller);
          if (line.startsWith(":")) return;
          const field = FIELD.exec(line)?.[1];
          if (!field) return controller.enqueue({ other: line });
          const raw = line.slice(field.length + 1);
          const value = raw.startsWith(" ") ? raw.slice(1) : raw;
          if (field === "data") data.push(value);
          else if (field === "event") event = value;
        },
        // A last event without its blank line still counts.
        flush: dispatch,
      }),
    );
}
