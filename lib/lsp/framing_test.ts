/** Tests of the Content-Length framing. */

import { assertEquals, assertInstanceOf, assertRejects } from "@std/assert";
import { chunksOf, frame, FramingError, messageWriter, readMessages } from "./framing.ts";

const encoder = new TextEncoder();

async function decode(chunks: Uint8Array[]): Promise<unknown[]> {
  return await Array.fromAsync(readMessages(ReadableStream.from(chunks)));
}

const messages = [
  { jsonrpc: "2.0", id: 1, method: "initialize", params: { text: "é🌍" } },
  { jsonrpc: "2.0", method: "initialized", params: {} },
  { jsonrpc: "2.0", id: "x", result: null },
];

Deno.test("readMessages: any split of the byte stream gives the same messages", async () => {
  const bytes = new Uint8Array(messages.flatMap((m) => [...frame(m)]));
  for (const size of [1, 2, 3, 5, 7, 64, bytes.length]) {
    const chunks = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    assertEquals(await decode(chunks), messages, `pieces of ${size}`);
  }
});

Deno.test("readMessages: other headers, any case, and a body that is not JSON", async () => {
  const body = '{"jsonrpc":"2.0","method":"exit"}';
  const text =
    `content-length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}` +
    "Content-Length: 3\r\n\r\n{x}";
  const [first, second] = await decode([encoder.encode(text)]);
  assertEquals(first, { jsonrpc: "2.0", method: "exit" });
  assertInstanceOf(second, SyntaxError);
});

Deno.test("readMessages: a header without Content-Length is a framing error", async () => {
  await assertRejects(() => decode([encoder.encode("Content-Type: x\r\n\r\n{}")]), FramingError);
  await assertRejects(() => decode([encoder.encode("Content-Length: -1\r\n\r\n{}")]), FramingError);
});

Deno.test("frame: the length counts UTF-8 bytes", () => {
  const text = new TextDecoder().decode(frame({ s: "é🌍" }));
  assertEquals(text, 'Content-Length: 14\r\n\r\n{"s":"é🌍"}');
});

Deno.test("messageWriter: writes in order, whole, across short writes; a failed write closes", async () => {
  const written: number[] = [];
  let closedWith: unknown;
  const sink = {
    write(bytes: Uint8Array) {
      written.push(...bytes.subarray(0, 3)); // a short write
      return Promise.resolve(Math.min(3, bytes.length));
    },
  };
  const writer = messageWriter(sink, (err) => closedWith = err);
  writer.send({ a: 1 });
  await writer.send({ b: "é" });
  assertEquals(await decode([new Uint8Array(written)]), [{ a: 1 }, { b: "é" }]);
  const failing = messageWriter(
    { write: () => Promise.reject(new Error("EPIPE")) },
    (err) => closedWith = err,
  );
  await failing.send({});
  await failing.send({});
  assertEquals((closedWith as Error).message, "EPIPE");
  await writer.flushed();
});

Deno.test("chunksOf: reads into one reused buffer until the end", async () => {
  const parts = [encoder.encode("ab"), encoder.encode("cde")];
  const source = {
    read(buffer: Uint8Array) {
      const part = parts.shift();
      if (!part) return Promise.resolve(null);
      buffer.set(part);
      return Promise.resolve(part.length);
    },
  };
  const seen: string[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for await (const chunk of chunksOf(source, 8)) {
    seen.push(new TextDecoder().decode(chunk));
    buffers.add(chunk.buffer);
  }
  assertEquals(seen, ["ab", "cde"]);
  assertEquals(buffers.size, 1);
});
