/** The fetch wrapper's failure texts: what a user reads when the network is in the way. */

import { assertEquals, assertRejects } from "@std/assert";
import { CopilotError } from "../base/errors.ts";
import { networkReason, request } from "./http.ts";

Deno.test("a refused connection says connection refused, not fetch failed", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  const err = await assertRejects(() => request(`http://127.0.0.1:${port}/`), CopilotError);
  assertEquals(err.message, `cannot reach 127.0.0.1:${port}: connection refused`);
});

Deno.test("networkReason takes the innermost cause's last part", () => {
  const inner = new Error(
    "client error (Connect): tcp connect error: Connection refused (os error 111)",
  );
  assertEquals(
    networkReason(new TypeError("fetch failed", { cause: inner })),
    "connection refused",
  );
  assertEquals(
    networkReason(new TypeError("error: Connection reset by peer")),
    "connection reset by peer",
  );
  assertEquals(networkReason(new TypeError("")), "network error");
});

Deno.test("an abort after the headers cuts the body even when fetch no longer follows its signal", async () => {
  // Deno's fetch follows its signal through a dependent signal it holds weakly: once that is
  // garbage-collected, aborting no longer errors the body. This fetch ignores its signal alike.
  let cancelled: unknown = "not cancelled";
  const fetchIgnoringSignal = () =>
    Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          start: (c) => c.enqueue(new TextEncoder().encode("first")),
          cancel: (reason) => void (cancelled = reason),
        }),
      ),
    );
  const caller = new AbortController();
  const { body } = await request("http://upstream.test/", {
    fetch: fetchIgnoringSignal as typeof fetch,
    signal: caller.signal,
  });
  assertEquals((await body!.read()).done, false);
  const pending = body!.read();
  const reason = new DOMException("client left", "AbortError");
  caller.abort(reason);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    pending.then(() => "read on", (err) => err),
    new Promise((resolve) => timer = setTimeout(resolve, 5_000, "still waiting")),
  ]);
  clearTimeout(timer);
  assertEquals(outcome, reason);
  assertEquals(cancelled, reason);
});
