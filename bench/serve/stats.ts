/**
 * Numbers of the serve benchmark: CPU time from `/proc`, quantiles, formatting.
 *
 * @module
 */

import type { JobResult } from "./roles/load.ts";

/** CPU time (user + system, all threads) process `pid` has used so far, in ms. */
export async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** The `q` quantile (0..1) of `xs`, nearest rank. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The median of `xs`. */
export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

/** `xs` rotated left by `by`, so each side goes first in turn. */
export function rotate<T>(xs: readonly T[], by: number): T[] {
  const at = by % xs.length;
  return [...xs.slice(at), ...xs.slice(0, at)];
}

/** Fails when any request of `result` failed. */
export function mustSucceed(what: string, result: JobResult): void {
  if (result.failed > 0) {
    throw new Error(`${what}: ${result.failed} failed; first: ${result.firstError}`);
  }
}

/** Formats `x` with `digits` decimals, "n/a" when not finite. */
export function f(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

/** MiB to MB (10^6 bytes), the unit of the goal. */
export function mb(mib: number | undefined): number {
  return mib === undefined ? NaN : mib * 1.048576;
}

/** The 99th percentile of `xs`. */
export function p99(xs: number[]): number {
  return quantile(xs, 0.99);
}
