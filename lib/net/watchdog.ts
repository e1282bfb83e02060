/**
 * Idle timers on one shared wake-up: many watchdogs (one per request or
 * stream), at most one pending timer in the process.
 *
 * @module
 */

/** A timer that fires once nothing has happened for a while. */
export interface Watchdog {
  /** Something happened: the wait starts again. */
  kick(): void;
  /** Nothing to watch any more (idempotent). */
  stop(): void;
}

/**
 * Calls `expire` once `ms` pass without a {@linkcode Watchdog.kick}; when it
 * returns `false`, the wait starts again. Built on `AbortSignal.timeout`, one
 * pending timer at a time however often it is kicked: the first `setTimeout`
 * of a process makes Deno load its Node timers, milliseconds that every
 * `copilot complete` would pay before its request.
 */
export function watchdog(ms: number, expire: () => boolean | void): Watchdog {
  const dog: Dog = { last: performance.now(), ms, expire };
  dogs.add(dog);
  wake(dog.last + ms);
  return {
    kick: () => void (dog.last = performance.now()),
    stop: () => void dogs.delete(dog),
  };
}

interface Dog {
  last: number;
  ms: number;
  expire: () => boolean | void;
}

/**
 * Every running watchdog; one shared timer serves them all. A stopped one keeps
 * nothing alive; the one pending wake-up may keep an event loop alive until it
 * fires (the CLI exits explicitly, so it never waits for it).
 */
const dogs = new Set<Dog>();
/** When the pending timer fires (performance.now() time), or Infinity when none is pending. */
let wakeAt = Infinity;

/** Makes sure the shared timer fires by `at`. */
function wake(at: number): void {
  if (at >= wakeAt) return;
  wakeAt = at;
  const timer = AbortSignal.timeout(Math.max(1, Math.ceil(at - performance.now())));
  timer.addEventListener("abort", () => {
    if (wakeAt !== at) return; // an earlier wake-up replaced this one
    wakeAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const dog of dogs) {
      if (now - dog.last < dog.ms) {
        next = Math.min(next, dog.last + dog.ms);
        continue;
      }
      if (expired(dog)) dogs.delete(dog);
      else {
        dog.last = now;
        next = Math.min(next, now + dog.ms);
      }
    }
    if (next < Infinity) wake(next);
  }, { once: true });
}

/**
 * Runs `dog`'s `expire`; true when the dog is done. One that throws is done too, and the others
 * still run: the error is reported as an uncaught one would be, after this wake-up.
 */
function expired(dog: Dog): boolean {
  try {
    return dog.expire() !== false;
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
    return true;
  }
}

/** How many watchdogs run and whether a wake-up is pending (for tests). */
export function watchdogStats(): { running: number; wakeUpPending: boolean } {
  return { running: dogs.size, wakeUpPending: wakeAt !== Infinity };
}
