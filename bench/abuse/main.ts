/**
 * Soak/abuse benchmark of `copilot serve`: hostile clients on loopback
 * against one server started as the CLI runs, under `ulimit -n 1024` (the
 * issue's setting), logged in to the project's fake upstream. Run on demand:
 *
 *   deno task bench:abuse [--seconds 10] [--fd-limit 1024] [--timeout 5]
 *
 * `--timeout` sets the server's header, idle and body timeouts (seconds;
 * `COPILOT_SERVE_{HEADER,IDLE,BODY}_TIMEOUT`), short by default so that the
 * timeouts show within a run.
 *
 * Scenarios, one after another on the same server:
 *
 * - fd exhaustion: 1,100 idle sockets held for `--seconds` (then closed);
 * - slow body: 500 connections each sending a 1 KB body one byte a second;
 * - tiny chunks: 20 bodies of 20,000 one-byte chunks, 4 at a time;
 * - disconnect storm: 2,000 connections that send half a request and leave,
 *   50 at a time.
 *
 * After each it checks that a fresh `GET /healthz` gets a 200 and that the
 * process still runs, and reads its memory (`VmRSS` now, `VmHWM` peak) from
 * `/proc`. Prints a markdown table; exits 1 when the server died or stopped
 * answering.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { loggedIn } from "../../test/fixtures/logged_in.ts";
import { connect, healthzHead, readToClose, statusOf } from "../../test/fixtures/raw_http.ts";
import { type ServeProcess, startServe } from "../../test/fixtures/serve_process.ts";

const GITHUB_TOKEN = `ghu_${"AbuseBenchToken".padEnd(36, "0")}`;
const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One scenario's outcome. */
interface Row {
  scenario: string;
  statuses: Record<string, number>;
  seconds: number;
  rssMb: number;
  peakMb: number;
  alive: boolean;
  healthz: number;
}

/** `VmRSS` and `VmHWM` of `pid` in MB. */
async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => "");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

/** A connection to `port`, or the name of the error that refused it. */
async function tryConnect(port: number): Promise<Deno.TcpConn | string> {
  return await connect(port).catch((err) => (err as Error).name);
}

/** Writes `bytes`, reads until close or `ms`; the first status line's code, or what happened. */
async function exchange(port: number, bytes: Uint8Array, ms: number): Promise<string> {
  const conn = await tryConnect(port);
  if (typeof conn === "string") return conn;
  try {
    await conn.write(bytes).catch(() => 0);
    return await readStatus(conn, ms);
  } finally {
    conn.close();
  }
}

/** The status code of what `conn` answers within `ms`: "closed", "open" or the code. */
async function readStatus(conn: Deno.Conn, ms: number): Promise<string> {
  const { text, closed } = await readToClose(conn, ms, { first: true });
  if (text === "") return closed ? "closed" : "open";
  return String(statusOf(text) || "?");
}

/** Counts each value. */
function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Runs `jobs` with at most `width` at a time. */
async function pool<T>(count: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await job(i);
    }
  }));
  return results;
}

/** 1,100 idle sockets held for `seconds`: the fd limit is 1024. */
async function fdExhaustion(port: number, seconds: number): Promise<string[]> {
  const conns: Deno.TcpConn[] = [];
  const failed: string[] = [];
  for (let i = 0; i < 1100; i++) {
    try {
      conns.push(await connect(port));
    } catch (err) {
      failed.push((err as Error).name);
    }
  }
  const during = await exchange(port, encoder.encode(healthzHead(port)), 5000);
  const statuses = await Promise.all(conns.map((conn) => readStatus(conn, seconds * 1000)));
  for (const conn of conns) conn.close();
  return [...statuses, ...failed, `request during: ${during}`];
}

/** 500 connections sending a 1 KB body one byte a second, for `seconds`. */
async function slowBody(port: number, seconds: number): Promise<string[]> {
  const head = `POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    "Content-Length: 1024\r\nConnection: close\r\n\r\n";
  return await Promise.all(Array.from({ length: 500 }, async () => {
    const conn = await tryConnect(port);
    if (typeof conn === "string") return conn;
    try {
      await conn.write(encoder.encode(head)).catch(() => 0);
      const answer = readStatus(conn, (seconds + 5) * 1000);
      let done = false;
      void answer.then(() => done = true);
      for (let i = 0; i < seconds && !done; i++) {
        await conn.write(encoder.encode("a")).catch(() => done = true);
        await sleep(1000);
      }
      return await answer;
    } finally {
      conn.close();
    }
  }));
}

/** 20 bodies of 20,000 one-byte chunks, 4 at a time. */
function tinyChunks(port: number): Promise<string[]> {
  const one = encoder.encode("1\r\na\r\n");
  const head = encoder.encode(
    `POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
  );
  const tail = encoder.encode("0\r\n\r\n");
  const body = new Uint8Array(head.length + one.length * 20_000 + tail.length);
  body.set(head);
  for (let i = 0; i < 20_000; i++) body.set(one, head.length + i * one.length);
  body.set(tail, body.length - tail.length);
  return pool(20, 4, () => exchange(port, body, 30_000));
}

/** 2,000 connections that send half a request (headers, part of a body) and leave. */
function disconnectStorm(port: number): Promise<string[]> {
  const half = encoder.encode(
    `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      'Content-Length: 5000\r\n\r\n{"messages": [',
  );
  return pool(2000, 50, async () => {
    try {
      using conn = await connect(port);
      await conn.write(half);
      return "left";
    } catch (err) {
      return (err as Error).name;
    }
  });
}

/** Runs one scenario and checks the server afterwards. */
async function measure(
  server: ServeProcess,
  scenario: string,
  run: () => Promise<string[]>,
): Promise<Row> {
  const started = performance.now();
  const statuses = tally(await run());
  const seconds = (performance.now() - started) / 1000;
  const head = healthzHead(server.port);
  let healthz = "";
  for (let i = 0; i < 50 && healthz !== "200"; i++) {
    healthz = await exchange(server.port, encoder.encode(head), 5000);
    if (healthz !== "200") await sleep(200);
  }
  const alive = await Promise.race([
    server.child.status.then(() => false),
    sleep(100).then(() => true),
  ]);
  const { rss, peak } = await memory(server.child.pid);
  return { scenario, statuses, seconds, rssMb: rss, peakMb: peak, alive, healthz: Number(healthz) };
}

const args = parseArgs(Deno.args, { string: ["seconds", "fd-limit", "timeout"] });
const timeout = String(Number(args.timeout ?? 5));
const seconds = Number(args.seconds ?? 10);
const fdLimit = Number(args["fd-limit"] ?? 1024);
await using signedIn = await loggedIn(GITHUB_TOKEN);
const env = {
  ...signedIn.box.env,
  COPILOT_SERVE_HEADER_TIMEOUT: timeout,
  COPILOT_SERVE_IDLE_TIMEOUT: timeout,
  COPILOT_SERVE_BODY_TIMEOUT: timeout,
};
await using server = await startServe(env, ["0", "--quiet"], { fdLimit });
const start = await memory(server.child.pid);
const rows: Row[] = [];
rows.push(
  await measure(
    server,
    "fd exhaustion: 1,100 idle sockets",
    () => fdExhaustion(server.port, seconds),
  ),
);
rows.push(await measure(server, "slow body: 500 × 1 byte/s", () => slowBody(server.port, seconds)));
rows.push(
  await measure(server, "tiny chunks: 20 × 20,000 one-byte chunks", () => tinyChunks(server.port)),
);
rows.push(
  await measure(
    server,
    "disconnect storm: 2,000 half requests",
    () => disconnectStorm(server.port),
  ),
);

console.log(
  `## copilot serve under abuse (ulimit -n ${fdLimit}, timeouts ${timeout} s, ` +
    `${Deno.build.os}, deno ${Deno.version.deno})\n`,
);
console.log(`RSS at start: ${start.rss.toFixed(1)} MB.\n`);
console.log(
  "| scenario | answers (count) | s | RSS after (MB) | peak RSS so far (MB) | alive | /healthz after |",
);
console.log("| --- | --- | ---: | ---: | ---: | --- | ---: |");
for (const row of rows) {
  const answers = Object.entries(row.statuses).map(([k, v]) => `${k}: ${v}`).join(", ");
  console.log(
    `| ${row.scenario} | ${answers} | ${row.seconds.toFixed(1)} | ${row.rssMb.toFixed(1)} | ` +
      `${row.peakMb.toFixed(1)} | ${row.alive ? "yes" : "NO"} | ${row.healthz} |`,
  );
}
const errors = server.lines.filter((line) => /internal error|Uncaught|panicked/i.test(line));
console.log(`\nserver stderr lines reporting an internal error: ${errors.length}`);
for (const line of errors.slice(0, 5)) console.log(`    ${line}`);
const ok = rows.every((row) => row.alive && row.healthz === 200) && errors.length === 0;
console.log(`\nresult: ${ok ? "PASS (the server lived and kept answering)" : "FAIL"}`);
if (!ok) Deno.exitCode = 1;
