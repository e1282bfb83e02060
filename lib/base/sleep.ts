/**
 * The one way this tool waits: std's `delay` with an abort signal, loaded
 * only when something waits (a warm `copilot complete` never does, and the
 * first timer of a process costs start-up).
 *
 * @module
 */

/** The longest delay a timer takes (2^31 - 1 ms, about 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `ms` made a delay every timer honours: at least 0, at most
 * {@linkcode MAX_TIMER_MS} (NaN counts as 0).
 *
 * @example
 * ```ts
 * import { MAX_TIMER_MS, timerDelay } from "./sleep.ts";
 * console.assert(timerDelay(1e12) === MAX_TIMER_MS);
 * ```
 */
export function timerDelay(ms: number): number {
  return Number.isNaN(ms) ? 0 : Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

/**
 * Resolves after `ms` (clamped by {@linkcode timerDelay}), or rejects with the abort reason when `signal` aborts;
 * leaves no timer behind either way.
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 * await sleep(1);
 * ```
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  const { delay } = await import("@std/async/delay");
  await delay(timerDelay(ms), signal ? { signal } : {});
}
