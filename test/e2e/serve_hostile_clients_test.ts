/**
 * End to end: `copilot serve` against hostile and careless clients, on
 * loopback, each case bounded in connections and time: running it out of
 * file descriptors (under `ulimit -n 256`), silent, idle and trickling
 * connections, bodies of one-byte chunks, malformed `Host` headers, clients
 * that leave mid-upload, and streams cut at the shutdown deadline. The server
 * must keep serving, answer with a fitting status, log what happened as what
 * it is (never "internal error"), and never exit.
 */

import { assert, assertEquals } from "@std/assert";
import { loggedIn } from "../fixtures/logged_in.ts";
import { connect, healthzHead, rawRequest, readToClose, statusOf } from "../fixtures/raw_http.ts";
import { peakRssMiB, type ServeProcess, startServe } from "../fixtures/serve_process.ts";

const GITHUB_TOKEN = `ghu_${"HostileTestToken".padEnd(36, "0")}`;
const encoder = new TextEncoder();

/** Short guards, so the timeouts show within the test's bounded waits. */
const SHORT_GUARDS = {
  COPILOT_SERVE_HEADER_TIMEOUT: "1",
  COPILOT_SERVE_IDLE_TIMEOUT: "1",
  COPILOT_SERVE_BODY_TIMEOUT: "1",
};

/** `GET /healthz`'s status, retried for up to 15 s until it is 200. */
async function healthz(port: number): Promise<number> {
  const head = healthzHead(port);
  const end = Date.now() + 15_000;
  let status = 0;
  while (status !== 200 && Date.now() < end) {
    status = await rawRequest(port, head).catch(() => 0);
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

/** Fails when the server logged an internal error or an uncaught one. */
function assertNoInternalError(server: ServeProcess): void {
  const bad = server.lines.filter((line) => /internal error|Uncaught|panicked/i.test(line));
  assertEquals(bad, [], server.lines.join("\n"));
}

/** True while the child runs. */
async function running(server: ServeProcess): Promise<boolean> {
  const exited = await Promise.race([
    server.child.status.then(() => true),
    new Promise<false>((resolve) => setTimeout(resolve, 50, false)),
  ]);
  return !exited;
}

Deno.test({
  name: "copilot serve under ulimit -n 256: 300 idle sockets get 503s, and it lives on",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using signedIn = await loggedIn(GITHUB_TOKEN);
    const env = {
      ...signedIn.box.env,
      ...SHORT_GUARDS,
      COPILOT_SERVE_HEADER_TIMEOUT: "3",
    };
    await using server = await startServe(env, ["0"], { fdLimit: 256 });
    const conns: Deno.TcpConn[] = [];
    try {
      for (let i = 0; i < 300; i++) conns.push(await connect(server.port));
      // Over the cap (here (256 - 64) / 2 = 96), connections are answered 503 and closed.
      const answers = await Promise.all(conns.slice(200).map((conn) => readToClose(conn, 10_000)));
      const busy = answers.filter((a) => statusOf(a.text) === 503).length;
      assert(
        busy > 0,
        `no 503 among the last 100: ${JSON.stringify(answers[0])}\n${server.lines.join("\n")}`,
      );
      assert(await running(server), `serve exited:\n${server.lines.join("\n")}`);
    } finally {
      for (const conn of conns) conn.close();
    }
    // Once they are gone, a new client is served (polled: the cap frees as they close).
    assertEquals(await healthz(server.port), 200);
    assert(await running(server));
    assertNoInternalError(server);
  },
});

Deno.test("copilot serve against slow, silent, tiny-chunked and odd clients", async (t) => {
  await using signedIn = await loggedIn(GITHUB_TOKEN);
  // The body timeout leaves room for 20,000 chunks on a loaded machine (~0.2-0.6 s alone).
  const env = {
    ...signedIn.box.env,
    ...SHORT_GUARDS,
    COPILOT_SERVE_BODY_TIMEOUT: "5",
  };
  await using server = await startServe(env, ["0"]);
  const { port } = server;
  const host = `127.0.0.1:${port}`;

  await t.step("a connection that sends nothing is closed after the header timeout", async () => {
    using conn = await connect(port);
    const { text, closed } = await readToClose(conn, 10_000);
    assert(closed, "still open after 10 s");
    assertEquals(text, "");
  });

  await t.step("an idle keep-alive connection is closed after the idle timeout", async () => {
    using conn = await connect(port);
    await conn.write(encoder.encode(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
    const { text, closed } = await readToClose(conn, 10_000);
    assertEquals(statusOf(text), 200);
    assert(closed, "still open after 10 s");
  });

  await t.step("a body that trickles in gets a 408 at the body timeout", async () => {
    using conn = await connect(port);
    await conn.write(encoder.encode(
      `POST /v1/completions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\n`,
    ));
    const reading = readToClose(conn, 15_000);
    let stop = false;
    const writing = (async () => {
      for (let i = 0; i < 100 && !stop; i++) {
        await conn.write(encoder.encode("a")).catch(() => stop = true);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const { text } = await reading;
    stop = true;
    await writing;
    assertEquals(statusOf(text), 408, text);
  });

  await t.step("20,000 one-byte chunks: a 400, and memory stays bounded", async () => {
    const before = await peakRssMiB(server.child.pid);
    using conn = await connect(port);
    await conn.write(encoder.encode(
      `POST /v1/completions HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n` +
        "Connection: close\r\n\r\n",
    ));
    const one = encoder.encode("1\r\na\r\n");
    const block = new Uint8Array(one.length * 1000);
    for (let i = 0; i < 1000; i++) block.set(one, i * one.length);
    for (let i = 0; i < 20; i++) {
      for (let at = 0; at < block.length;) at += await conn.write(block.subarray(at));
    }
    await conn.write(encoder.encode("0\r\n\r\n"));
    const { text } = await readToClose(conn, 10_000);
    assertEquals(statusOf(text), 400, text); // "aaaa..." is no JSON
    const after = await peakRssMiB(server.child.pid);
    if (before !== undefined && after !== undefined) {
      // Before the fix, each chunk kept a 64 KiB buffer: over 500 MB for this body.
      assert(after - before < 100, `peak RSS grew from ${before} to ${after} MiB`);
    }
  });

  await t.step("a malformed Host is a 400, a foreign one a 403", async () => {
    const get = (headers: string, target = "/healthz") =>
      rawRequest(port, `GET ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`);
    assertEquals(await get("Host: 127.0.0.1:65536\r\n"), 400);
    assertEquals(await get("Host: a, b\r\n"), 400);
    assertEquals(await get(`Host: ${host}, evil.example\r\n`), 400);
    assertEquals(await get(""), 400); // no Host at all
    assertEquals(await get("Host: -1\r\n"), 403);
    assertEquals(await get(`Host: ${host}\r\n`, "http://evil.example/healthz"), 403);
    assertEquals(await get(`Host: ${host}\r\n`), 200);
  });

  await t.step("a client that leaves mid-upload is logged as such", async () => {
    {
      using conn = await connect(port);
      await conn.write(encoder.encode(
        `POST /v1/completions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 1000\r\n\r\n{"prompt"`,
      ));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await server.waitFor(/^POST \/v1\/completions 499 \d+\.\dms \(client left\)$/);
  });

  await t.step("the server lived through it all, with no internal error", async () => {
    assertEquals(await healthz(port), 200);
    assert(await running(server));
    assertNoInternalError(server);
  });
});

Deno.test({
  name: "copilot serve: a stream cut at the shutdown deadline is logged as cut off",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using signedIn = await loggedIn(GITHUB_TOKEN, { completions: { hold: 1 } });
    const env = { ...signedIn.box.env, COPILOT_SERVE_GRACE: "0.2" };
    await using server = await startServe(env, ["0"]);
    const res = await fetch(server.url, { method: "POST", body: '{"prompt": "def fib(n):\\n"}' });
    const reader = res.body!.getReader();
    await reader.read();
    server.child.kill("SIGTERM");
    assertEquals((await server.child.status).code, 0);
    await reader.read().then(() => reader.cancel(), () => {});
    await server.waitFor(/^POST \/ 200 \d+\.\dms \(cut off: server shutting down\)$/);
    assertNoInternalError(server);
  },
});
