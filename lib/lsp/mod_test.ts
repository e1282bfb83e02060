/** In-process tests of the whole server over in-memory pipes, with a stand-in upstream. */

import { assertEquals } from "@std/assert";
import { frame, readMessages } from "./framing.ts";
import { runLanguageServer, type ServerOptions } from "./mod.ts";

/** A server on in-memory pipes; `send` writes a message, `next` reads the next one. */
function pipes(options: ServerOptions) {
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const output = new TransformStream<Uint8Array, Uint8Array>();
  const writer = input.writable.getWriter();
  const out = output.writable.getWriter();
  const sink = { write: (bytes: Uint8Array) => out.write(bytes).then(() => bytes.length) };
  const status = runLanguageServer(input.readable, sink, options).finally(() => out.close());
  const messages = readMessages(output.readable);
  return {
    status,
    send: (message: unknown) => writer.write(frame(message)),
    next: async () => (await messages.next()).value as Record<string, unknown>,
    end: () => writer.close(),
    rest: () => Array.fromAsync(messages),
  };
}

Deno.test("server: requests before initialize and after shutdown are refused; exit is 0", async () => {
  const server = pipes({ fetch: () => Promise.resolve(["x"]) });
  await server.send({ jsonrpc: "2.0", id: 1, method: "getVersion" });
  assertEquals((await server.next()).error, { code: -32002, message: "initialize first" });
  await server.send({ jsonrpc: "2.0", id: 2, method: "initialize", params: {} });
  assertEquals((await server.next()).id, 2);
  await server.send({ jsonrpc: "2.0", id: 3, method: "initialize", params: {} });
  assertEquals((await server.next()).error, { code: -32600, message: "initialized twice" });
  await server.send({ jsonrpc: "2.0", id: 4, method: "shutdown" });
  assertEquals(await server.next(), { jsonrpc: "2.0", id: 4, result: null });
  await server.send({ jsonrpc: "2.0", id: 5, method: "getVersion" });
  assertEquals((await server.next()).error, { code: -32600, message: "shut down" });
  await server.send({ jsonrpc: "2.0", method: "exit" });
  assertEquals(await server.status, 0);
  await server.end();
  assertEquals(await server.rest(), []);
});

Deno.test("server: a completion on a document that is not open is an invalid-params error", async () => {
  const server = pipes({ fetch: () => Promise.resolve(["x"]) });
  await server.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} });
  await server.next();
  await server.send({
    jsonrpc: "2.0",
    id: 2,
    method: "textDocument/completion",
    params: { textDocument: { uri: "file:///nope.py" }, position: { line: 0, character: 0 } },
  });
  assertEquals((await server.next()).error, {
    code: -32602,
    message: "file:///nope.py is not open",
  });
  await server.end();
  assertEquals(await server.status, 1); // the input ended without shutdown
});

Deno.test("server: suggestions are placed in the text as it was when asked", async () => {
  let release: (texts: string[]) => void = () => {};
  const server = pipes({ debounceMs: 0, fetch: () => new Promise((resolve) => release = resolve) });
  await server.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: {} });
  await server.next();
  const uri = "file:///w/a.ts";
  await server.send({
    jsonrpc: "2.0",
    method: "textDocument/didOpen",
    params: { textDocument: { uri, languageId: "typescript", version: 1, text: "const x = " } },
  });
  await server.send({
    jsonrpc: "2.0",
    id: 2,
    method: "getCompletions",
    params: { textDocument: { uri }, position: { line: 0, character: 10 } },
  });
  await new Promise((resolve) => setTimeout(resolve, 10));
  // The editor moves on while the answer is under way: the answer keeps the old coordinates.
  await server.send({
    jsonrpc: "2.0",
    method: "textDocument/didChange",
    params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: "\n\nconst x = " }] },
  });
  release(["42;\n"]);
  const status = await server.next(); // a GitHub method: the status is sent first
  assertEquals(status.method, "didChangeStatus");
  const answer = await server.next();
  const [one] = (answer.result as { completions: Record<string, unknown>[] }).completions;
  assertEquals(one?.text, "const x = 42;");
  assertEquals(one?.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } });
  assertEquals(one?.docVersion, 1);
  await server.end();
  await server.status;
});
