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

import { relay, type RelayHooks, type Sink, type Source } from "./relay.ts";

/** One parsed event, or one line that is not SSE. */
export type SseItem = { data: string; event?: string } | { other: string };

const FIELD = /^(data|event|id|retry)(?::|$)/;

/**
 * Parses an SSE byte stream.
 *
 * One pulled stage decodes and splits lines itself (rather than piping through
 * `TextDecoderStream` and std's `TextLineStream`): one stream layer per chunk
 * instead of three, and nothing of Deno's streams is loaded before the request
 * has been sent.
 *
 * @example
 * ```ts
 * import { parseSse } from "./sse.ts";
 * const bytes = new TextEncoder().encode("data: a\r\n\r\ndata:b\n\n");
 * const items = await Array.fromAsync(parseSse(ReadableStream.from([bytes])));
 * console.assert(items.length === 2);
 * ```
 */
export function parseSse(
  body: ReadableStream<Uint8Array> | Source<Uint8Array>,
): ReadableStream<SseItem> {
  return relay(body, sseDecoder());
}

/** The parsing step of {@linkcode parseSse}, to {@linkcode chain} with the next step. */
export function sseDecoder(): RelayHooks<Uint8Array, SseItem> {
  const decoder = new TextDecoder();
  let data: string[] = [];
  let event: string | undefined;
  let rest = ""; // an unfinished line
  let afterCr = false; // the last text ended in "\r": a "\n" right after it ends nothing more
  type Controller = Sink<SseItem>;
  const dispatch = (controller: Controller) => {
    if (data.length > 0) controller.enqueue({ data: data.join("\n"), ...(event ? { event } : {}) });
    data = [];
    event = undefined;
  };
  const line = (text: string, controller: Controller) => {
    if (text === "") return dispatch(controller);
    if (text.startsWith(":")) return;
    const field = FIELD.exec(text)?.[1];
    if (!field) return controller.enqueue({ other: text });
    const raw = text.slice(field.length + 1);
    const value = raw.startsWith(" ") ? raw.slice(1) : raw;
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  };
  const lines = (text: string, controller: Controller) => {
    if (text === "") return;
    if (afterCr && text.startsWith("\n")) text = text.slice(1);
    afterCr = false;
    let start = 0;
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code !== 10 && code !== 13) continue;
      line(rest + text.slice(start, at), controller);
      rest = "";
      if (code === 13) {
        if (at + 1 === text.length) afterCr = true;
        else if (text.charCodeAt(at + 1) === 10) at++;
      }
      start = at + 1;
    }
    rest += text.slice(start);
  };
  return {
    map: (chunk, controller) => lines(decoder.decode(chunk, { stream: true }), controller),
    end(controller) {
      lines(decoder.decode(), controller);
      // A last line or event without its line end or blank line still counts.
      if (rest !== "") line(rest, controller);
      dispatch(controller);
      controller.close();
    },
  };
}
