/**
 * Benchmark of a warm `copilot complete` against the project's fake, side by
 * side with `bench/minimal_fetch.ts` (the least a Deno script can do for the
 * same request). Run on demand, not in the test suite:
 *
 *   deno run -A bench/complete_bench.ts [--runs 30]
 *
 * Reports wall time (interleaved runs), time from an event leaving the fake to
 * its text on stdout, peak RSS (with GNU time), and the requests a warm run makes.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { cliArgs, sandbox } from "../test/fixtures/spawn_cli.ts";
import { startFake } from "../test/fixtures/fake_upstream/mod.ts";

const { runs: runsFlag } = parseArgs(Deno.args, { string: ["runs"] });
const RUNS = Number(runsFlag ?? 30);
const PROMPT = new TextEncoder().encode("def fib(n):\n");
const TOKEN = "ghu_benchToken000000000000000000000000";
const MINIMAL = new URL("./minimal_fetch.ts", import.meta.url).href;

await using fake = await startFake({ device: { interval: 0.01, accessToken: TOKEN } });
await using box = await sandbox(fake);
const env = box.env;

/** Spawns `args` (deno arguments) with the prompt on stdin. */
function spawn(args: string[], extraEnv: Record<string, string> = {}, wrap: string[] = []) {
  const [command, ...rest] = wrap.length ? [...wrap, Deno.execPath(), ...args] : [
    Deno.execPath(),
    ...args,
  ];
  const child = new Deno.Command(command!, {
    args: rest,
    env: { ...env, ...extraEnv },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  void writer.write(PROMPT).then(() => writer.close());
  return child;
}

// As a user would: `copilot login` once, then the first run exchanges the token and caches
// the session; every run after that is warm.
const login = await spawn(cliArgs("login", "--no-browser")).output();
if (!login.success) throw new Error(new TextDecoder().decode(login.stderr));
const warm = await spawn(cliArgs("complete")).output();
if (!warm.success) throw new Error(new TextDecoder().decode(warm.stderr));
const session = JSON.parse(await Deno.readTextFile(`${box.configDir}/session.json`));
const sent = fake.requestsTo("/v1/engines/").at(-1)!;
const { authorization: _, "content-length": _length, host: _host, ...headers } = sent.headers;
const minimalEnv = {
  BENCH_URL: `${session.endpoints.proxy}/v1/engines/gpt-41-copilot/completions`,
  BENCH_TOKEN: session.token,
  BENCH_REQUEST: JSON.stringify({ headers, body: sent.body }),
};
const contenders = {
  copilot: { args: cliArgs("complete"), env: {} },
  minimal: { args: ["run", "-q", "--allow-net", "--allow-env", MINIMAL], env: minimalEnv },
};

// 1. Wall time, interleaved so both see the same machine state.
const times: Record<string, number[]> = { copilot: [], minimal: [] };
const exchangesBefore = fake.stats.exchanges;
const requestsBefore = fake.stats.requests.length;
for (let i = 0; i < RUNS; i++) {
  for (const [name, { args, env: extra }] of Object.entries(contenders)) {
    const started = performance.now();
    const out = await spawn(args, extra).output();
    times[name]!.push(performance.now() - started);
    if (!out.success) throw new Error(`${name} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}
const warmExchanges = fake.stats.exchanges - exchangesBefore;
const warmPaths = new Set(fake.stats.requests.slice(requestsBefore).map((r) => r.path));

// 2. First text: from the fake releasing its first event to that text on stdout.
async function firstTextLatency(args: string[], extra: Record<string, string>): Promise<number> {
  fake.config.completions.hold = 0;
  const seen = fake.stats.completions;
  const child = spawn(args, extra);
  while (fake.stats.completions === seen) await new Promise((r) => setTimeout(r, 1));
  await new Promise((r) => setTimeout(r, 20)); // let it reach the hold
  const reader = child.stdout.getReader();
  const released = performance.now();
  fake.release();
  await reader.read();
  const latency = performance.now() - released;
  reader.releaseLock();
  await child.output();
  fake.config.completions.hold = null;
  return latency;
}
const latency: Record<string, number[]> = { copilot: [], minimal: [] };
for (let i = 0; i < Math.min(RUNS, 20); i++) {
  for (const [name, { args, env: extra }] of Object.entries(contenders)) {
    latency[name]!.push(await firstTextLatency(args, extra));
  }
}

// 3. Peak RSS with GNU time, when present.
async function peakRss(args: string[], extra: Record<string, string>): Promise<number | undefined> {
  try {
    const out = await spawn(args, extra, ["/usr/bin/time", "-f", "%M"]).output();
    const kb = Number(new TextDecoder().decode(out.stderr).trim().split("\n").at(-1));
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}
const rss: Record<string, number[]> = { copilot: [], minimal: [] };
for (let i = 0; i < 5; i++) {
  for (const [name, { args, env: extra }] of Object.entries(contenders)) {
    const mb = await peakRss(args, extra);
    if (mb !== undefined) rss[name]!.push(mb);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number) => x.toFixed(1);
const ratio = (a: number, b: number) => (a / b).toFixed(2) + "x";

console.log(`warm copilot complete vs minimal fetch script, ${RUNS} interleaved runs each\n`);
console.log("| measure | copilot | minimal | ratio | goal |");
console.log("| --- | ---: | ---: | ---: | --- |");
console.log(
  `| wall time, median (ms) | ${fmt(median(times.copilot!))} | ${fmt(median(times.minimal!))} | ${
    ratio(median(times.copilot!), median(times.minimal!))
  } | ≤ 1.3x |`,
);
console.log(
  `| wall time, mean (ms) | ${fmt(mean(times.copilot!))} | ${fmt(mean(times.minimal!))} | ${
    ratio(mean(times.copilot!), mean(times.minimal!))
  } | |`,
);
console.log(
  `| event leaves fake → text on stdout, median (ms) | ${fmt(median(latency.copilot!))} | ${
    fmt(median(latency.minimal!))
  } | | ≤ 5 ms |`,
);
console.log(
  `| same, worst (ms) | ${fmt(Math.max(...latency.copilot!))} | ${
    fmt(Math.max(...latency.minimal!))
  } | | |`,
);
if (rss.copilot!.length && rss.minimal!.length) {
  console.log(
    `| peak RSS, median (MB) | ${fmt(median(rss.copilot!))} | ${fmt(median(rss.minimal!))} | ${
      ratio(median(rss.copilot!), median(rss.minimal!))
    } | ≤ 1.2x |`,
  );
}
console.log(
  `\nwarm runs: ${warmExchanges} token exchanges; paths requested: ${[...warmPaths].join(", ")}`,
);
