/**
 * The 64-connection rounds with `wrk` (a Debian package: `apt-get install -y wrk`), a C load
 * generator that costs the shared cores next to nothing; its script is `wrk.lua` beside this
 * file, which checks every body.
 *
 * @module
 */

import { FAST_TEXT as TEXT } from "../../test/fixtures/fake_upstream/fast.ts";
import type { Job } from "./roles/load.ts";

/** The wrk script, read by wrk from its path. */
const SCRIPT = new URL("./wrk.lua", import.meta.url).pathname;

/** What a side of the comparison is called to: a {@linkcode Job} without its shape. */
export type Target = Omit<Job, "conns" | "perConn">;

/** What one wrk round measured. */
export interface WrkRound {
  /** Requests completed. */
  requests: number;
  /** Length of the round, s. */
  seconds: number;
  /** Time to last byte, median and 99th percentile, ms. */
  p50: number;
  /** See {@linkcode WrkRound.p50}. */
  p99: number;
  /** Answers that were not a 200 with the full, correct text. */
  bad: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
  /** The first bad answer. */
  why: string;
}

/** Whether `wrk` can be run here. */
export async function haveWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" }).output();
    return true;
  } catch {
    return false;
  }
}

/** One round of `seconds` at `conns` connections (2 threads) against `target`, with wrk. */
export async function wrkRound(
  target: Target,
  conns: number,
  seconds: number,
  spreadMs: number,
): Promise<WrkRound> {
  const threads = Math.min(2, conns);
  const escaped = JSON.stringify(TEXT).slice(1, -1);
  const out = await new Deno.Command("wrk", {
    args: [
      `-t${threads}`,
      `-c${conns}`,
      `-d${seconds}s`,
      "--timeout",
      "10s",
      "-s",
      SCRIPT,
      target.url,
    ],
    env: {
      BENCH_CONNS: String(conns),
      BENCH_THREADS: String(threads),
      BENCH_SPREAD: String(spreadMs),
      BENCH_EXPECT: target.expect,
      BENCH_TEXT: target.expect === "text" ? TEXT : escaped,
      BENCH_BODY: target.body,
      BENCH_HEADERS: Object.entries(target.headers).map(([k, v]) => `${k}: ${v}`).join("\n"),
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const line = text.split("\n").find((l) => l.startsWith("{"));
  if (!out.success || !line) {
    throw new Error(`wrk failed: ${new TextDecoder().decode(out.stderr)}${text}`.slice(0, 500));
  }
  return JSON.parse(line) as WrkRound;
}
