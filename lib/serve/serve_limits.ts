/**
 * The guards of `copilot serve` against hostile or broken clients: timeouts
 * and the cap on open connections, with their defaults, and the file
 * descriptor limit the cap must stay under.
 *
 * @module
 */

/** Timeouts and the connection cap of one server. */
export interface ServeLimits {
  /** Time for a new connection to send a complete request head. */
  headerMs: number;
  /** Time a keep-alive connection may sit idle between requests. */
  idleMs: number;
  /** Time for a whole request body to arrive. */
  bodyMs: number;
  /** Most connections open at once (further ones get 503); see {@linkcode connectionCap}. */
  maxConnections: number;
  /**
   * Serve with plain `Deno.serve` (restarted when its accept loop dies, bodies
   * still bounded): faster streams, but no cap and no connection timeouts.
   */
  plain?: boolean;
}

/** The defaults: 10 s for a head, 30 s idle, 30 s for a body, 512 connections. */
export const DEFAULT_LIMITS: Readonly<ServeLimits> = {
  headerMs: 10_000,
  idleMs: 30_000,
  bodyMs: 30_000,
  maxConnections: 512,
};

/**
 * The connection cap to use: `wanted`, but at most half of what the open
 * file limit leaves after 64 descriptors for the rest (each client connection
 * may need an upstream one too), and at least 1.
 *
 * @example
 * ```ts
 * import { connectionCap } from "./serve_limits.ts";
 * console.assert(connectionCap(512, 1024) === 480);
 * console.assert(connectionCap(512, 256) === 96);
 * ```
 */
export function connectionCap(wanted: number, softLimit = fdSoftLimit()): number {
  if (softLimit === undefined) return Math.max(1, wanted);
  return Math.max(1, Math.min(wanted, Math.floor((softLimit - 64) / 2)));
}

/**
 * The soft limit of open files of this process, if known: Linux's
 * `/proc/self/limits` (Deno lets only `--allow-all` read it), else what
 * `/bin/sh -c 'ulimit -n'` says (the binary may run `/bin/sh`; a child
 * inherits the limit).
 */
export function fdSoftLimit(): number | undefined {
  if (Deno.build.os === "windows") return undefined;
  try {
    const text = Deno.readTextFileSync("/proc/self/limits");
    const soft = /^Max open files\s+(\d+)/m.exec(text)?.[1];
    if (soft !== undefined) return Number(soft);
  } catch {
    // Not Linux, or not allowed to read it.
  }
  try {
    const out = new Deno.Command("/bin/sh", { args: ["-c", "ulimit -n"], stderr: "null" })
      .outputSync();
    const soft = Number(new TextDecoder().decode(out.stdout).trim());
    return out.success && Number.isInteger(soft) && soft > 0 ? soft : undefined; // "unlimited": none
  } catch {
    return undefined; // no /bin/sh, or not allowed to run it
  }
}
