/**
 * Ctrl-C as an abort signal for the commands that stop at once (all but
 * `serve`, which owns its signals for a graceful shutdown).
 *
 * @module
 */

import { ExitCode } from "../base/errors.ts";

/** Ctrl-C (SIGINT) as an abort signal, and a promise of the exit status it means. */
export interface Interrupt {
  /** Aborts on Ctrl-C. */
  signal: AbortSignal;
  /** Resolves with {@linkcode ExitCode.Interrupted} once the abort has been delivered. */
  interrupted: Promise<number>;
}

/** Listens for Ctrl-C; the first one aborts {@linkcode Interrupt.signal}. */
export function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  const { promise, resolve } = Promise.withResolvers<number>();
  const onInterrupt = () => {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    controller.abort(new DOMException("interrupted", "AbortError"));
    setTimeout(() => resolve(ExitCode.Interrupted), 0);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  return { signal: controller.signal, interrupted: promise };
}
