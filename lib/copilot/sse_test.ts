import { assertEquals } from "@std/assert";
import { parseSse, type SseItem } from "./sse.ts";

/** Parses `wire` delivered in pieces of `size` bytes. */
function parseInPieces(wire: string | Uint8Array, size: number): Promise<SseItem[]> {
  const bytes = typeof wire === "string" ? new TextEncoder().encode(wire) : wire;
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.slice(i, i + size));
  return Array.fromAsync(parseSse(ReadableStream.from(pieces)));
}

Deno.test("parseSse", async (t) => {
  await t.step("joins data lines and splits events at blank lines", async () => {
    assertEquals(await parseInPieces("data: a\ndata: b\n\ndata: c\n\n", 1000), [
      { data: "a\nb" },
      { data: "c" },
    ]);
  });

  await t.step("survives every split point, CRLF, CR and multi-byte characters", async () => {
    const wire = 'data: {"t":"é→😀"}\r\n\r\n: keep-alive\rdata:x\r\rdata: [DONE]\n\n';
    for (let size = 1; size <= 7; size++) {
      assertEquals(await parseInPieces(wire, size), [
        { data: '{"t":"é→😀"}' },
        { data: "x" },
        { data: "[DONE]" },
      ], `pieces of ${size} bytes`);
    }
  });

  await t.step("keeps event names and drops id/retry fields", async () => {
    assertEquals(await parseInPieces("event: e\nid: 1\nretry: 5\ndata: d\n\n", 3), [
      { data: "d", event: "e" },
    ]);
  });

  await t.step("reports lines that are not SSE, such as a trailing JSON error", async () => {
    assertEquals(await parseInPieces('data: a\n\n{"error":{"message":"boom"}}\n', 4), [
      { data: "a" },
      { other: '{"error":{"message":"boom"}}' },
    ]);
  });

  await t.step("dispatches a last event without its blank line", async () => {
    assertEquals(await parseInPieces("data: [DONE]", 2), [{ data: "[DONE]" }]);
  });

  await t.step("drops a BOM and replaces invalid UTF-8 instead of failing", async () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode("data: a"),
      0xff,
      10,
      10,
    ]);
    assertEquals(await parseInPieces(bytes, 2), [{ data: "a\ufffd" }]);
  });
});
