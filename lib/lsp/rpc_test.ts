/** Tests of the JSON-RPC connection: dispatch, errors, cancellation, requests to the editor. */

import { assertEquals, assertRejects } from "@std/assert";
import { Connection, ErrorCode, ResponseError } from "./rpc.ts";

function connection() {
  const sent: Record<string, unknown>[] = [];
  const c = new Connection((message) => {
    sent.push(message as Record<string, unknown>);
    return Promise.resolve();
  });
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { c, sent, settled };
}

Deno.test("Connection: answers results, unknown methods, thrown errors and bad JSON", async () => {
  const { c, sent, settled } = connection();
  c.onRequest("add", (params) => (params as number[]).reduce((a, b) => a + b));
  c.onRequest("bad", () => {
    throw new ResponseError(ErrorCode.InvalidParams, "no");
  });
  c.receive({ jsonrpc: "2.0", id: 1, method: "add", params: [1, 2] });
  c.receive({ jsonrpc: "2.0", id: 2, method: "nope" });
  c.receive({ jsonrpc: "2.0", id: 3, method: "bad" });
  c.receive(new SyntaxError("Unexpected token"));
  c.receive({ jsonrpc: "2.0", method: "unknown/notification" });
  await settled();
  assertEquals(sent, [
    { jsonrpc: "2.0", id: 2, error: { code: -32601, message: "no method nope" } },
    { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Unexpected token" } },
    { jsonrpc: "2.0", id: 1, result: 3 },
    { jsonrpc: "2.0", id: 3, error: { code: -32602, message: "no" } },
  ]);
});

Deno.test("Connection: $/cancelRequest aborts the handler's signal and answers RequestCancelled", async () => {
  const { c, sent, settled } = connection();
  let aborted = false;
  c.onRequest("slow", (_params, { signal }) =>
    new Promise((_resolve, reject) => {
      signal.addEventListener("abort", () => {
        aborted = true;
        reject(new Error("upstream aborted"));
      });
    }));
  c.receive({ jsonrpc: "2.0", id: "a", method: "slow" });
  assertEquals(c.running, 1);
  c.receive({ jsonrpc: "2.0", method: "$/cancelRequest", params: { id: "a" } });
  await settled();
  assertEquals(aborted, true);
  assertEquals(sent, [{
    jsonrpc: "2.0",
    id: "a",
    error: { code: -32800, message: "request cancelled" },
  }]);
  assertEquals(c.running, 0);
});

Deno.test("Connection: the guard refuses before the handler runs", async () => {
  const { c, sent, settled } = connection();
  let ran = false;
  c.onRequest("m", () => ran = true);
  c.guard = () => new ResponseError(ErrorCode.ServerNotInitialized, "initialize first");
  c.receive({ jsonrpc: "2.0", id: 1, method: "m" });
  await settled();
  assertEquals(ran, false);
  assertEquals(sent[0]?.error, { code: -32002, message: "initialize first" });
});

Deno.test("Connection: requests to the editor settle with its answer; close fails the rest", async () => {
  const { c, sent } = connection();
  const answer = c.request("window/showMessageRequest", { message: "hi" });
  const failing = c.request("window/showDocument", { uri: "x" });
  const pending = c.request("window/workDoneProgress/create", {});
  c.receive({ jsonrpc: "2.0", id: sent[0]!.id as string, result: { title: "OK" } });
  c.receive({ jsonrpc: "2.0", id: sent[1]!.id as string, error: { code: 1, message: "no" } });
  assertEquals(await answer, { title: "OK" });
  await assertRejects(() => failing, ResponseError, "no");
  c.close();
  await assertRejects(() => pending, ResponseError, "request cancelled");
});
