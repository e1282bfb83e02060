/**
 * GitHub Enterprise: `--host HOST` (and a stored enterprise login) select
 * `https://HOST`, `https://api.HOST` and `https://copilot-api.HOST` with no URL
 * variable set. No such host exists here, so the CLI goes through
 * `HTTPS_PROXY` pointing at a listener that records each `CONNECT` line and
 * refuses the tunnel: the recorded lines prove which host each hop chose.
 */

import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { runCli, sandbox } from "../fixtures/spawn_cli.ts";

const HOST = "octo.ghe.com";
const TOKEN = `ghu_${"Enterprise".padEnd(36, "0")}`;

/** A proxy that records `CONNECT host:port` and answers 502 to each. */
function connectRecorder(): { url: string; seen: string[] } & AsyncDisposable {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  const connections: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) {
      connections.push((async () => {
        const buffer = new Uint8Array(4096);
        const read = await conn.read(buffer).catch(() => null);
        const head = new TextDecoder().decode(buffer.subarray(0, read ?? 0));
        seen.push(head.split("\r\n")[0] ?? "");
        await conn.write(new TextEncoder().encode("HTTP/1.1 502 Bad Gateway\r\n\r\n"))
          .catch(() => {});
        conn.close();
      })());
    }
  })();
  return {
    url: `http://127.0.0.1:${listener.addr.port}`,
    seen,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting.catch(() => {});
      await Promise.all(connections);
    },
  };
}

Deno.test("--host selects the enterprise URLs for each hop", async (t) => {
  await using proxy = connectRecorder();
  await using box = await sandbox(); // no fake: no URL variable is set
  const env = { ...box.env, HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, COPILOT_TIMEOUT: "5" };

  await t.step("login --host: the device flow goes to https://HOST", async () => {
    const { code, stderr } = await runCli(["login", "--host", HOST, "--no-browser"], { env });
    assertEquals(code, 1, stderr);
    assertStringIncludes(stderr, `cannot reach ${HOST}`);
    assertEquals(proxy.seen, [`CONNECT ${HOST}:443 HTTP/1.1`]);
  });

  await t.step("a stored enterprise login: the exchange goes to https://api.HOST", async () => {
    await Deno.mkdir(box.configDir, { recursive: true, mode: 0o700 });
    await Deno.writeTextFile(
      `${box.configDir}/auth.json`,
      JSON.stringify({ token: TOKEN, host: HOST, user: "mona" }),
      { mode: 0o600 },
    );
    proxy.seen.length = 0;
    const { code, stdout, stderr } = await runCli(["complete"], { env, stdin: "x = " });
    assertEquals([code, stdout], [1, ""]);
    assertStringIncludes(stderr, `cannot reach api.${HOST}`);
    assertEquals(proxy.seen, [`CONNECT api.${HOST}:443 HTTP/1.1`]);
    assert(!stderr.includes(TOKEN));
  });

  await t.step("--dry-run without a session shows https://copilot-api.HOST", async () => {
    proxy.seen.length = 0;
    const { code, stdout, stderr } = await runCli(["complete", "--dry-run"], { env, stdin: "x" });
    assertEquals([code, stderr], [0, ""]);
    assertStringIncludes(stdout, `POST https://copilot-api.${HOST}/v1/engines/gpt-41-copilot/`);
    assertEquals(proxy.seen, []);
  });
});
