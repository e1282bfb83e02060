import { assertRejects } from "@std/assert";
import { sleep } from "./sleep.ts";

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
