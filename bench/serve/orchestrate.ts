/**
 * The serve benchmark's orchestrator: starts the processes (the fast fake, the two reference
 * proxies, `copilot serve` and the load generator), runs the phases and collects what they
 * measured. It only starts rounds and reads `/proc` between them.
 *
 * @module
 */

import { sandbox } from "../../test/fixtures/spawn_cli.ts";
import { peakRssMiB, startServe } from "../../test/fixtures/serve_process.ts";
import {
  FAST_GITHUB_TOKEN as GITHUB_TOKEN,
  FAST_MODEL as MODEL,
  FAST_SESSION_TOKEN as SESSION_TOKEN,
} from "../../test/fixtures/fake_upstream/fast.ts";
import { LoadGenerator, startRole } from "./children.ts";
import { type FakeRole, type FastStats, startFakeRole } from "./roles/fake.ts";
import type { JobResult } from "./roles/load.ts";
import { cpuMs, mb, median, mustSucceed, p99, rotate } from "./stats.ts";
import { type Target, wrkRound } from "./wrk.ts";

const PROMPT = "def fib(n):\n";

/** What the run is asked to do (the command line's flags). */
export interface Options {
  /** Interleaved rounds per side and pace. */
  rounds: number;
  /** Requests per connection and round (Deno load generator). */
  perConn: number;
  /** Connections of the latency rounds. */
  conns: number;
  /** Concurrent streams of a burst. */
  streams: number;
  /** Bursts. */
  bursts: number;
  /** Paces of the fake, ms. */
  paces: number[];
  /** Length of a wrk round, s. */
  seconds: number;
  /** Route of `serve` under test. */
  route: "/v1/completions" | "/" | "/v1/messages";
  /** Load generator of the latency rounds. */
  load: "wrk" | "deno";
  /** `DENO_V8_FLAGS` of `copilot serve`, if any. */
  serveV8Flags: string | undefined;
}

/** The sides, in the report's order: the fake directly, the reference proxies, `copilot serve`. */
export const SIDES = ["direct", "minimal", "relay", "serve"] as const;

/** One side of the comparison. */
export type Side = typeof SIDES[number];

/** The processes whose CPU time is counted. */
export type Process = "load" | "fake" | "minimal" | "relay" | "serve";

/** Everything measured for one side. */
export interface SideStats {
  /** Time to first byte of every request at full concurrency, ms (the Deno load generator only). */
  ttfb: number[];
  /** Time to last byte at full concurrency, median of each round, ms. */
  p50s: number[];
  /** Time to last byte at full concurrency, 99th percentile of each round, ms. */
  p99s: number[];
  /** Requests per second of each round. */
  rps: number[];
  /** Time to last byte on a single connection, ms. */
  single: number[];
  /** Requests counted in `cpu`. */
  requests: number;
  /** CPU ms each process used during this side's rounds. */
  cpu: Record<Process, number>;
}

/** What one pace of the fake measured, and the goals derived from it. */
export interface PaceResult {
  /** The fake's delay between its first event and the rest, ms. */
  pace: number;
  /** Requests per connection and round. */
  perConn: number;
  /** Per side. */
  stats: Record<Side, SideStats>;
}

/** One burst of concurrent streams. */
export interface BurstResult {
  /** What the load generator saw. */
  result: JobResult;
  /** What the fake's gate saw. */
  gate: FastStats;
  /** Peak RSS of serve after the burst, MB. */
  rss: number;
}

/** Everything a run measured, for the report. */
export interface Measured {
  /** Bursts of concurrent streams. */
  bursts: BurstResult[];
  /** Latency and throughput, per pace. */
  paces: PaceResult[];
  /** Peak RSS of serve after the warm-up and at the end, MiB. */
  rssBefore: number | undefined;
  /** See {@linkcode Measured.rssBefore}. */
  rssEnd: number | undefined;
  /** The fake's counters at the end. */
  served: FastStats;
  /** Lines serve wrote to stderr besides "Listening on". */
  serveNoise: string[];
}

/** The running processes of a run. */
interface Bench {
  options: Options;
  fake: FakeRole;
  load: LoadGenerator;
  targets: Record<Side, Target>;
  pids: Record<Process, number>;
  servePid: number;
}

/** Starts every process, runs the phases and returns what they measured. */
export async function run(options: Options): Promise<Measured> {
  // The serve transport to measure, from the bench's own environment (default: serve's).
  const transport = Deno.env.get("COPILOT_SERVE_TRANSPORT");
  await using fake = await startFakeRole();
  await using minimal = await startRole("minimal", ["--upstream", fake.url]);
  await using relay = await startRole("relay", ["--upstream", fake.url]);
  // `copilot serve 0 --quiet`, as the binary runs, in an isolated home pointed at the fake.
  await using box = await sandbox();
  const env = {
    ...box.env,
    COPILOT_GITHUB_URL: fake.url,
    COPILOT_API_URL: fake.url,
    COPILOT_PROXY_URL: fake.url,
    COPILOT_GITHUB_TOKEN: GITHUB_TOKEN,
    ...(options.serveV8Flags ? { DENO_V8_FLAGS: options.serveV8Flags } : {}),
    // `COPILOT_SERVE_TRANSPORT=deno deno task bench:serve` measures the plain Deno.serve transport.
    ...(transport ? { COPILOT_SERVE_TRANSPORT: transport } : {}),
  };
  await using server = await startServe(env, ["0", "--quiet"]);
  await using load = new LoadGenerator();
  const targets = targetsOf(options.route, fake.url, server.url, minimal.url, relay.url);
  const servePid = server.child.pid;
  const pids = {
    load: load.child.pid,
    fake: fake.child.pid,
    minimal: minimal.child.pid,
    relay: relay.child.pid,
    serve: servePid,
  };
  const bench: Bench = { options, fake, load, targets, pids, servePid };
  // Warm up every process (JIT, connection pools, the session token).
  for (const side of SIDES) {
    mustSucceed(`warm-up ${side}`, await load.run({ ...targets[side], conns: 8, perConn: 50 }));
  }
  const rssBefore = await peakRssMiB(servePid);
  const bursts = await burstPhase(bench);
  const paces: PaceResult[] = [];
  for (const pace of options.paces) paces.push(await pacePhase(bench, pace));
  const rssEnd = await peakRssMiB(servePid);
  await fake.pace(0);
  const served = await fake.stats();
  const serveNoise = server.lines.filter((line) => !line.startsWith("Listening on "));
  return { bursts, paces, rssBefore, rssEnd, served, serveNoise };
}

/** What each side is called to: the fake directly, the proxies, `copilot serve` on `route`. */
function targetsOf(
  route: Options["route"],
  fakeUrl: string,
  serveUrl: string,
  minimalUrl: string,
  relayUrl: string,
): Record<Side, Target> {
  const direct: Target = {
    url: `${fakeUrl}/v1/engines/${MODEL}/completions`,
    headers: {
      "Authorization": `Bearer ${SESSION_TOKEN}`,
      "Content-Type": "application/json",
      "Editor-Version": "vscode/1.104.3",
    },
    body: JSON.stringify({ prompt: PROMPT, max_tokens: 500, n: 1, stream: true }),
    expect: "sse",
  };
  const serve: Target = {
    url: new URL(route.slice(1), serveUrl).href,
    headers: { "Content-Type": "application/json" },
    body: route === "/"
      ? JSON.stringify({ prompt: PROMPT, language: "python" })
      : route === "/v1/messages"
      // The native pass-through: the fast fake lists its model on /v1/messages.
      ? JSON.stringify({
        model: MODEL,
        max_tokens: 500,
        stream: true,
        messages: [{ role: "user", content: PROMPT }],
      })
      : JSON.stringify({ model: MODEL, prompt: PROMPT, max_tokens: 500, stream: true }),
    expect: route === "/" ? "text" : "sse",
  };
  const minimal: Target = {
    url: `${minimalUrl}/v1/completions`,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: MODEL, prompt: PROMPT, max_tokens: 500, stream: true }),
    expect: "sse",
  };
  const relay: Target = { ...minimal, url: `${relayUrl}/v1/completions` };
  return { direct, minimal, relay, serve };
}

/** 1. Concurrent streams held open together (the fake's gate), and serve's peak RSS. */
async function burstPhase({ options, fake, load, targets, servePid }: Bench) {
  const bursts: BurstResult[] = [];
  for (let i = 0; i < options.bursts; i++) {
    await fake.armGate();
    const result = await load.run({
      ...targets.serve,
      conns: options.streams,
      perConn: 1,
      releaseUrl: fake.releaseUrl,
    });
    const gate = await fake.stats();
    bursts.push({ result, gate, rss: mb(await peakRssMiB(servePid)) });
  }
  return bursts;
}

/** 2. Latency and throughput at `conns` connections, the sides' rounds interleaved. */
async function pacePhase(bench: Bench, pace: number): Promise<PaceResult> {
  const { options, fake, load, targets, pids } = bench;
  await fake.pace(pace);
  // About a second per round when the fake takes its time.
  const n = pace > 0
    ? Math.min(options.perConn, Math.max(5, Math.round(1000 / (pace + 2))))
    : options.perConn;
  const stats = Object.fromEntries(SIDES.map((side) => [side, emptySideStats()])) as Record<
    Side,
    SideStats
  >;
  for (const side of SIDES) {
    const job = { ...targets[side], conns: options.conns, perConn: n, spreadMs: pace };
    mustSucceed(`warm-up ${side}`, await load.run(job));
  }
  const processes = Object.keys(pids) as Process[];
  for (let r = 0; r < options.rounds; r++) {
    for (const side of rotate(SIDES, r)) {
      const s = stats[side];
      const before = await Promise.all(processes.map((name) => cpuMs(pids[name])));
      const round = await runRound(bench, side, n, pace, `round ${r + 1} ${side}`);
      const after = await Promise.all(processes.map((name) => cpuMs(pids[name])));
      processes.forEach((name, i) => s.cpu[name] += after[i]! - before[i]!);
      s.requests += round.requests;
      s.ttfb.push(...round.ttfb);
      s.p50s.push(round.p50);
      s.p99s.push(round.p99);
      s.rps.push(round.rps);
    }
  }
  // One connection: the cost per request without queueing; 200 requests a side, interleaved.
  for (let r = 0; r < 5; r++) {
    for (const side of rotate(SIDES, r)) {
      const result = await load.run({ ...targets[side], conns: 1, perConn: pace > 0 ? 40 : 100 });
      mustSucceed(`single ${side}`, result);
      stats[side].single.push(...result.ttlb);
    }
  }
  return { pace, perConn: n, stats };
}

function emptySideStats(): SideStats {
  return {
    ttfb: [],
    p50s: [],
    p99s: [],
    rps: [],
    single: [],
    requests: 0,
    cpu: { load: 0, fake: 0, minimal: 0, relay: 0, serve: 0 },
  };
}

/** One round against `side` with the chosen load generator, every answer checked. */
async function runRound(
  { options, load, targets }: Bench,
  side: Side,
  perConn: number,
  pace: number,
  what: string,
) {
  if (options.load === "deno") {
    const job = { ...targets[side], conns: options.conns, perConn, spreadMs: pace };
    const result = await load.run(job);
    mustSucceed(what, result);
    const rps = result.ok / (result.elapsedMs / 1000);
    const { ok: requests, ttfb, ttlb } = result;
    return { requests, p50: median(ttlb), p99: p99(ttlb), rps, ttfb };
  }
  const round = await wrkRound(targets[side], options.conns, options.seconds, pace);
  if (round.bad > 0 || round.errors > 0 || round.requests === 0) {
    throw new Error(
      `${what}: ${round.bad} bad answers, ${round.errors} errors of ${round.requests}; ` +
        `first: ${round.why}`,
    );
  }
  const { requests, p50, p99: tail } = round;
  return { requests, p50, p99: tail, rps: requests / round.seconds, ttfb: [] as number[] };
}
