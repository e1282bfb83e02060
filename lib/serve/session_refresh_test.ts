/** `keepSessionFresh` given a refresh time further ahead than any timer can wait. */

import { assertEquals } from "@std/assert";
import { keepSessionFresh } from "./lifecycle.ts";

Deno.test("a refresh time 30 days ahead schedules one far timer, not a 1 ms spin", async () => {
  let gets = 0;
  const session = {
    get: () => {
      gets++;
      return Promise.resolve({ refreshAt: Date.now() / 1000 + 30 * 86_400 });
    },
  };
  const stop = new AbortController();
  keepSessionFresh(session, stop.signal);
  // A timer over 2^31-1 ms fires after 1 ms: dozens of refreshes would happen by now.
  await new Promise((resolve) => setTimeout(resolve, 100));
  stop.abort();
  assertEquals(gets, 1);
});
