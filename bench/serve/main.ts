/**
 * Benchmark of `copilot serve` against a fast fake upstream, side by side with
 * calling that upstream directly. Run on demand, not in the test suite:
 *
 *   deno run -A bench/serve/main.ts [--rounds 6] [--seconds 4] [--conns 64]
 *     [--streams 256] [--bursts 8] [--upstream-ms 50,0]
 *     [--route /v1/completions|/|/v1/messages]
 *     [--load wrk|deno] [--requests 40] [--serve-v8-flags=--max-semi-space-size=8]
 *
 * It checks the goals of the serve issue and prints markdown tables with
 * PASS/FAIL per goal:
 *
 * - 256 concurrent streaming requests all complete correctly, and the server's
 *   peak RSS (Linux `VmHWM`) stays under 150 MB. The fake holds every stream
 *   after its first event (a shared gate) until the load generator has the
 *   first byte of all 256, so the streams truly overlap; every body is checked
 *   against the full text.
 * - At 64 concurrent connections, with a fake that takes its time like a model
 *   (so it is never the bottleneck), the latency added by the proxy
 *   (difference of the time-to-last-byte medians and p99s, direct vs. through
 *   `serve`) is at most 1 ms and 5 ms, and its throughput is at least 0.8x the
 *   direct one. A fake that answers at once is measured too, as the proxy's
 *   CPU cost, but is no goal: there the fake's own CPU bounds the direct side.
 *
 * Processes, so none steals the event loop of another: the project's fake
 * upstream in fast mode (`test/fixtures/fake_upstream/main.ts --fast`, see
 * `roles/fake.ts`: precomputed SSE bytes and the token exchange, no per-request
 * work beyond a header compare), the load generator of the streams phase
 * (`--role load`, `roles/load.ts`: `fetch` over keep-alive connections, one
 * job per JSON line on stdin, every body checked), a reference proxy (`--role
 * minimal`, `roles/proxies.ts`: `Deno.serve` + `fetch`, the upstream body
 * passed through untouched, the floor of any Deno proxy on this machine), the
 * same with the body passed through a JavaScript stream (`--role relay`: the
 * floor of a proxy that reads the answer, as `serve` must to change its
 * shape), and `copilot serve 0 --quiet` started as the CLI runs (`deno run -P
 * main.ts`, see `test/fixtures/serve_process.ts`) in a sandboxed home whose
 * `COPILOT_GITHUB_URL`, `COPILOT_API_URL` and `COPILOT_PROXY_URL` name the
 * fake. The 64-connection rounds use `wrk` (a Debian package: `apt-get install
 * -y wrk`; `wrk.ts`, its script `wrk.lua`), a C load generator that costs the
 * shared cores next to nothing, so the comparison measures the proxy, not the
 * client; its script checks every body too. `--load deno` runs them with the
 * Deno load generator instead (it costs about as much CPU per request as the
 * proxy, which on 2 cores shows up as the proxy's latency). The orchestrator
 * (this process, `orchestrate.ts`) only starts rounds and reads `/proc`
 * between them; `report.ts` prints the tables. The three sides' rounds
 * alternate (each goes first in turn) after a warm-up round each; the CPU time
 * the fake and the proxies used per request is reported too.
 *
 * `--upstream-ms` lists paces of the fake: 0 answers at once, N waits N ms
 * between the first event and the rest, like a model generating (the proxy
 * then has to keep up with the offered load; the connections start spread
 * over N ms so their answers do not arrive in lockstep). Every pace gets its
 * own table. `--serve-v8-flags` passes V8 flags to `copilot serve` only (as
 * `DENO_V8_FLAGS`), to try heap settings a compiled binary could bake in.
 *
 * `--route /v1/messages` measures the Anthropic Messages native pass-through
 * (the fast fake lists its model on `/v1/messages` and answers there with the
 * same bytes, which the pass-through relays without reading) against the same
 * floors.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { type Options, run } from "./orchestrate.ts";
import { report } from "./report.ts";
import { runLoad } from "./roles/load.ts";
import { runMinimalProxy } from "./roles/proxies.ts";
import { haveWrk } from "./wrk.ts";

/** The run's options from the command line's flags; throws on a bad value. */
async function optionsOf(flags: Record<string, string | undefined>): Promise<Options> {
  const num = (name: string, fallback: number) => {
    const value = Number(flags[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number >= 0`);
    return value;
  };
  const count = (name: string, fallback: number) => Math.max(1, Math.floor(num(name, fallback)));
  const paces = (flags["upstream-ms"] ?? "50,0").split(",").map(Number);
  if (paces.some((pace) => !Number.isFinite(pace) || pace < 0 || pace > 10_000)) {
    throw new Error("--upstream-ms must be a list of milliseconds, e.g. 50,0");
  }
  const options = {
    rounds: count("rounds", 6),
    perConn: count("requests", 40),
    conns: count("conns", 64),
    streams: count("streams", 256),
    bursts: count("bursts", 8),
    paces,
    seconds: count("seconds", 4),
    serveV8Flags: flags["serve-v8-flags"],
  };
  const route = flags.route ?? "/v1/completions";
  const load = flags.load ?? "wrk";
  if (load !== "wrk" && load !== "deno") throw new Error("--load must be wrk or deno");
  if (load === "wrk" && !await haveWrk()) {
    throw new Error("wrk is not installed (apt-get install -y wrk); or run with --load deno");
  }
  if (route !== "/v1/completions" && route !== "/" && route !== "/v1/messages") {
    throw new Error("--route must be /v1/completions, / or /v1/messages");
  }
  return { ...options, route, load };
}

if (import.meta.main) {
  const flags = parseArgs(Deno.args, {
    string: [
      "role",
      "rounds",
      "requests",
      "conns",
      "streams",
      "bursts",
      "upstream-ms",
      "route",
      "upstream",
      "serve-v8-flags",
      "seconds",
      "load",
    ],
  });
  switch (flags.role) {
    case "minimal":
    case "relay":
      runMinimalProxy(flags.upstream ?? "", flags.role === "relay");
      break;
    case "load":
      await runLoad();
      break;
    case undefined: {
      const options = await optionsOf(flags);
      report(options, await run(options));
      break;
    }
    default:
      throw new Error(`unknown --role ${flags.role}`);
  }
}
