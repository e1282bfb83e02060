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
