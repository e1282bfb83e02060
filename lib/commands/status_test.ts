import { assertEquals } from "@std/assert";
import { sessionField } from "./status.ts";

Deno.test("sessionField reads a field before the signature", () => {
  const token = "tid=74069a;exp=1702022150;sku=free_educational;st=dotcom;8kp=1:b78c67";
  assertEquals(sessionField(token, "sku"), "free_educational");
  assertEquals(sessionField(token, "exp"), "1702022150");
  assertEquals(sessionField(token, "8kp"), "1");
  assertEquals(sessionField(token, "missing"), undefined);
  assertEquals(sessionField("opaque", "sku"), undefined);
});
