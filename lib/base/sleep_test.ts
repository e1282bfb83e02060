import { assert, assertEquals, assertRejects } from "@std/assert";
import { MAX_TIMER_MS, sleep, timerDelay } from "./sleep.ts";

Deno.test("sleep rejects with the abort reason and leaves no timer", async () => {
  const controller = new AbortController();
  const sleeping = sleep(60_000, controller.signal);
  controller.abort(new DOMException("interrupted", "AbortError"));
  await assertRejects(() => sleeping, DOMException, "interrupted");
  await sleep(1);
});

Deno.test("sleep on an aborted signal rejects at once", async () => {
  const controller = new AbortController();
  controller.abort(new DOMException("gone", "AbortError"));
  await assertRejects(() => sleep(60_000, controller.signal), DOMException, "gone");
});

Deno.test("a delay past what a timer takes waits (clamped), instead of firing at once", async () => {
  const controller = new AbortController();
  let settled = false;
  const sleeping = sleep(2 ** 40, controller.signal).finally(() => settled = true);
  sleeping.catch(() => {});
  await sleep(30);
  assert(!settled, "a 2^40 ms sleep ended after 30 ms");
  controller.abort(new DOMException("done", "AbortError"));
  await assertRejects(() => sleeping, DOMException, "done");
  assertEquals(timerDelay(2 ** 40), MAX_TIMER_MS);
  assertEquals(timerDelay(-5), 0);
  assertEquals(timerDelay(NaN), 0);
});
