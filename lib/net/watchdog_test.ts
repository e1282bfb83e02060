import { assert, assertEquals } from "@std/assert";
import { sleep } from "../base/sleep.ts";
import { watchdog, watchdogStats } from "./watchdog.ts";

/** Waits until no wake-up is pending (every dog expired or stopped and its timer fired). */
async function settled(): Promise<void> {
  for (let i = 0; i < 200 && watchdogStats().wakeUpPending; i++) await sleep(5);
  assertEquals(watchdogStats(), { running: 0, wakeUpPending: false });
}

Deno.test("a watchdog expires once after its time without a kick", async () => {
  let expired = 0;
  const started = performance.now();
  let at = 0;
  watchdog(20, () => {
    expired++;
    at = performance.now() - started;
  });
  assertEquals(watchdogStats(), { running: 1, wakeUpPending: true });
  await sleep(60);
  assertEquals(expired, 1);
  assert(at >= 19, `expired after ${at} ms`);
  await settled();
});

Deno.test("kicks postpone the expiry", async () => {
  let expired = false;
  const dog = watchdog(150, () => void (expired = true));
  for (let i = 0; i < 10; i++) {
    await sleep(20);
    dog.kick();
  }
  assertEquals(expired, false); // 200 ms passed, never 150 without a kick
  await sleep(250);
  assertEquals(expired, true);
  await settled();
});

Deno.test("a stopped watchdog never fires and leaves no timer once the wake-up passed", async () => {
  let expired = false;
  const dog = watchdog(20, () => void (expired = true));
  dog.stop();
  dog.stop(); // idempotent
  assertEquals(watchdogStats().running, 0);
  await sleep(40);
  assertEquals(expired, false);
  await settled();
});

Deno.test("expire returning false starts the wait again", async () => {
  let calls = 0;
  const dog = watchdog(15, () => ++calls < 3 ? false : undefined);
  await sleep(120);
  assertEquals(calls, 3);
  assertEquals(watchdogStats().running, 0);
  dog.stop();
  await settled();
});

Deno.test("many dogs share one wake-up and each fires at its own time", async () => {
  const start = performance.now();
  const fired: { wait: number; at: number }[] = [];
  const dogs = Array.from({ length: 50 }, (_, i) => {
    const wait = 10 + (i % 5) * 10;
    return watchdog(wait, () => {
      fired.push({ wait, at: performance.now() - start });
    });
  });
  assertEquals(watchdogStats(), { running: 50, wakeUpPending: true });
  dogs[0]!.stop(); // one of the first group is stopped: 9 of its 10 fire
  // Bounded polling, not a fixed sleep: a loaded machine wakes late, never early.
  for (let i = 0; i < 200 && fired.length < 49; i++) await sleep(10);
  await sleep(60); // the stopped dog's time has long passed: it must stay silent
  assertEquals(fired.length, 49);
  // None fired before its own time (1 ms of timer rounding allowed).
  for (const { wait, at } of fired) assert(at >= wait - 1, `a ${wait} ms dog fired at ${at} ms`);
  await settled();
});

Deno.test("one expiry that throws does not stop the others, and is still reported", async () => {
  const reported: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    reported.push(event.error);
  };
  globalThis.addEventListener("error", onError);
  try {
    let later = false;
    watchdog(10, () => {
      throw new Error("a bug in an expiry");
    });
    watchdog(40, () => void (later = true));
    for (let i = 0; i < 100 && !later; i++) await sleep(10);
    assertEquals(later, true, "the other watchdog fired");
    assertEquals(reported.map((err) => (err as Error).message), ["a bug in an expiry"]);
    await settled();
  } finally {
    globalThis.removeEventListener("error", onError);
  }
});
