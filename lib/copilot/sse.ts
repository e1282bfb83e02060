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

import { relay, type RelayHooks, type Sink, type Source } from "../base/pull.ts";

/** One parsed event, or one line that is not SSE. */
export type SseItem = { data: string; event?: string } | { other: string };

const FIELDS = ["data", "event", "id", "retry"];
const COLON = 58;
const SPACE = 32;
const LF = 10;

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
    // `data:` first: nearly every line is one. Prefix checks, not a regular expression: this
    // runs for every line of every completion a server relays.
    const field = text.startsWith("data") ? "data" : FIELDS.find((name) => text.startsWith(name));
    const after = field === undefined ? -1 : text.charCodeAt(field.length); // NaN: line ends
    if (field === undefined || (!Number.isNaN(after) && after !== COLON)) {
      // Not a field (`:` comments are dropped; `dataX` is no field either).
      if (!text.startsWith(":")) controller.enqueue({ other: text });
      return;
    }
    const value = text.charCodeAt(field.length + 1) === SPACE
      ? text.slice(field.length + 2)
      : text.slice(field.length + 1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  };
  const lines = (text: string, controller: Controller) => {
    if (text === "") return;
    if (afterCr && text.charCodeAt(0) === LF) text = text.slice(1);
    afterCr = false;
    let start = 0;
    // The next line ends, found natively: "\n", or "\r" alone or before "\n".
    let lf = text.indexOf("\n");
    let cr = text.indexOf("\r");
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      const at = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (at === -1) break;
      line(rest + text.slice(start, at), controller);
      rest = "";
      start = at + 1;
      if (at === cr) {
        if (start === text.length) afterCr = true;
        else if (text.charCodeAt(start) === LF) start++;
      }
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
