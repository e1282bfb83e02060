/**
 * The one way this tool waits: std's `delay` with an abort signal, loaded
 * only when something waits (a warm `copilot complete` never does, and the
 * first timer of a process costs start-up).
 *
 * @module
 */

/**
 * Resolves after `ms`, or rejects with the abort reason when `signal` aborts;
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
  await delay(ms, signal ? { signal } : {});
}
