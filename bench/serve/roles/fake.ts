/**
 * The serve benchmark's upstream: the project's fake in fast mode
 * (`test/fixtures/fake_upstream/main.ts --fast`, see its `fast.ts`) in a process of its own,
 * and the calls that steer its gate and pace.
 *
 * @module
 */

import type { FastStats } from "../../../test/fixtures/fake_upstream/fast.ts";
import { type RoleServer, startServer } from "../children.ts";

export type { FastStats } from "../../../test/fixtures/fake_upstream/fast.ts";

const FAKE_MAIN = new URL("../../../test/fixtures/fake_upstream/main.ts", import.meta.url).pathname;

/** The fast fake in its own process, and its controls. */
export interface FakeRole extends RoleServer {
  /** Holds every stream after its first event until `releaseUrl` is POSTed to. */
  armGate(): Promise<void>;
  /** The URL that opens the gate. */
  readonly releaseUrl: string;
  /** Makes the fake wait `ms` between the first event and the rest (0: answer at once). */
  pace(ms: number): Promise<void>;
  /** The gate's and the fake's counters. */
  stats(): Promise<FastStats>;
}

/** Starts the fast fake in its own process. */
export async function startFakeRole(): Promise<FakeRole> {
  const server = await startServer(FAKE_MAIN, ["--fast"]);
  const call = async (path: string, method: string) =>
    await (await fetch(`${server.url}${path}`, { method })).json();
  return {
    ...server,
    releaseUrl: `${server.url}/_bench/release`,
    armGate: async () => void await call("/_bench/gate", "POST"),
    pace: async (ms) => void await call(`/_bench/pace?ms=${ms}`, "POST"),
    stats: async () => await call("/_bench/stats", "GET") as FastStats,
  };
}
