import { assertEquals } from "@std/assert";
import { connectionCap, DEFAULT_LIMITS, fdSoftLimit } from "./serve_limits.ts";

Deno.test("connectionCap stays well under the open file limit", () => {
  assertEquals(connectionCap(512, 1024), 480);
  assertEquals(connectionCap(512, 256), 96);
  assertEquals(connectionCap(512, 65536), 512);
  assertEquals(connectionCap(512, 64), 1);
  assertEquals(connectionCap(100, undefined), 100);
  assertEquals(DEFAULT_LIMITS.maxConnections, 512);
});

Deno.test({
  name: "fdSoftLimit reads this process's limit on Linux",
  ignore: Deno.build.os !== "linux",
  fn() {
    const limit = fdSoftLimit();
    assertEquals(typeof limit === "number" && limit > 0, true);
  },
});
