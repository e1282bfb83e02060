/** Unit tests of the session-token cache key (cache_key.ts). */

import { assertEquals, assertNotEquals } from "@std/assert";
import { cacheKey } from "./cache_key.ts";

Deno.test("cacheKey: stable, 14 hex digits, different for different tokens", () => {
  const token = "tid=1;exp=2;sku=free:ab";
  assertEquals(cacheKey(token), cacheKey(token));
  assertEquals(/^[0-9a-f]{14}$/.test(cacheKey(token)), true);
  assertNotEquals(cacheKey(token), cacheKey("tid=2;exp=2;sku=free:ab"));
  assertEquals(cacheKey(token).includes("tid"), false);
});
