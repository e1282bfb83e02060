import { assertEquals, assertInstanceOf, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { bindError, keepSessionFresh, listen, shutDown } from "./lifecycle.ts";

Deno.test("bindError says why in a few words", () => {
  const inUse = bindError(new Deno.errors.AddrInUse("x"), "::1", 8080);
  assertInstanceOf(inUse, CopilotError);
  assertEquals((inUse as CopilotError).message, "cannot listen on [::1]:8080: the port is in use");
  const missing = bindError(new Deno.errors.AddrNotAvailable("x"), "10.9.9.9", 1);
  assertEquals((missing as Error).message, "cannot listen on 10.9.9.9:1: no such address here");
  const denied = bindError(new Deno.errors.PermissionDenied("x"), "127.0.0.1", 80);
  assertInstanceOf(denied, CopilotError);
  assertEquals((denied as CopilotError).exitCode, ExitCode.Usage);
  const other = new Error("other");
  assertEquals(bindError(other, "127.0.0.1", 80), other);
});

Deno.test("listen: a port in use is a CopilotError; the handler is read per request", async () => {
  const handler = () => () => Promise.resolve(new Response("hi"));
  const server = listen("127.0.0.1", 0, handler, () => {});
  try {
    const err = assertThrows(
      () => listen("127.0.0.1", server.addr.port, handler, () => {}),
      CopilotError,
    );
    assertEquals(err.message.endsWith("the port is in use"), true);
    const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
    assertEquals(await res.text(), "hi");
  } finally {
    await server.shutdown();
  }
});

Deno.test("keepSessionFresh refreshes at once, and stops when aborted", async () => {
  const stop = new AbortController();
  const first = Promise.withResolvers<void>();
  let calls = 0;
  keepSessionFresh({
    get() {
      calls++;
      first.resolve();
      return Promise.resolve({ refreshAt: Date.now() / 1000 + 3600 });
    },
  }, stop.signal);
  await first.promise;
  await Promise.resolve();
  stop.abort();
  assertEquals(calls, 1);
});

Deno.test("shutDown cuts off a request still running at the deadline", async () => {
  const cutOff = new AbortController();
  const started = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    started.resolve();
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("partial"));
        cutOff.signal.addEventListener("abort", () => controller.close());
      },
    });
    return new Response(body);
  });
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  await started.promise;
  const reading = res.text();
  await shutDown(server, cutOff, 10, new Promise(() => {}));
  assertEquals(cutOff.signal.aborted, true);
  assertEquals(await reading, "partial");
  await server.finished;
});
