import { assert, assertEquals } from "@std/assert";
import {
  inRange,
  MAX_N,
  MAX_TOKENS_LIMIT,
  MAX_TOKENS_RANGE,
  N_RANGE,
  TEMPERATURE_RANGE,
  TOP_P_RANGE,
} from "./limits.ts";

Deno.test("the limits", () => {
  assertEquals(MAX_N, 10);
  assertEquals(MAX_TOKENS_LIMIT, 100_000);
  assertEquals(N_RANGE, { min: 1, max: 10, integer: true });
  assertEquals(MAX_TOKENS_RANGE, { min: 1, max: 100_000, integer: true });
  assertEquals(TEMPERATURE_RANGE, { min: 0, max: 2 });
  assertEquals(TOP_P_RANGE, { min: 0, max: 1 });
});

Deno.test("inRange", async (t) => {
  await t.step("bounds are inclusive", () => {
    assert(inRange(1, N_RANGE));
    assert(inRange(10, N_RANGE));
    assert(!inRange(0, N_RANGE));
    assert(!inRange(11, N_RANGE));
  });
  await t.step("integer ranges refuse fractions; others take them", () => {
    assert(!inRange(1.5, N_RANGE));
    assert(inRange(1.5, TEMPERATURE_RANGE));
  });
  await t.step("only finite numbers", () => {
    for (const value of [NaN, Infinity, -Infinity, "1", null, undefined, true]) {
      assert(!inRange(value, TEMPERATURE_RANGE), String(value));
    }
  });
});
