/**
 * Every upstream request of the real CLI goes through `HTTP_PROXY` /
 * `HTTPS_PROXY` (Deno's fetch honours them), and none does for a host in
 * `NO_PROXY`: a recording forward proxy sits between the CLI and the fake.
 */

import { assert, assertArrayIncludes, assertEquals } from "@std/assert";
import { runCli, sandbox } from "../fixtures/spawn_cli.ts";
import {
  DEFAULT_COMPLETION_TEXT,
  type FakeUpstream,
  startFake,
} from "../fixtures/fake_upstream/mod.ts";

const TOKEN = "ghu_proxyTestToken000000000000000000000";
const PROMPT = "def fib(n):\n";

/** Headers that belong to one connection, never relayed (RFC 9110, section 7.6.1). */
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

/** A recording HTTP forward proxy on loopback. */
interface ForwardProxy extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`, the value for `HTTP_PROXY` / `HTTPS_PROXY`. */
  url: string;
  /** Returns the requests relayed since the last call, as `"METHOD /path"`, and forgets them. */
  take(): string[];
}

/**
 * Starts a forward proxy that takes absolute-form requests
 * (`GET http://host:port/path HTTP/1.1`), records them and relays them with
 * bodies streamed both ways. The relaying fetch connects straight to the
 * target (a `tcp` transport), so a proxy in this process's environment can
 * never loop it back or take it elsewhere.
 */
function startProxy(): ForwardProxy {
  let seen: string[] = [];
  const clients = new Map<string, Deno.HttpClient>();
  const clientFor = (target: URL) => {
    let client = clients.get(target.host);
    if (client === undefined) {
      const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
      client = Deno.createHttpClient({
        proxy: { transport: "tcp", hostname: target.hostname, port },
      });
      clients.set(target.host, client);
    }
    return client;
  };

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request): Promise<Response> => {
      const target = new URL(request.url);
      // Deno.serve builds an origin-form request's URL from its Host header: the proxy's own.
      if (target.host === self) {
        await request.body?.cancel();
        return new Response("not a proxy request\n", { status: 400 });
      }
      seen.push(`${request.method} ${target.pathname}`);
      const headers = new Headers(request.headers);
      // The relaying fetch negotiates its own compression and decompresses what it gets.
      for (const name of [...HOP_BY_HOP, "host", "accept-encoding"]) headers.delete(name);
      let answer: Response;
      try {
        answer = await fetch(target, {
          method: request.method,
          headers,
          body: request.body,
          redirect: "manual",
          signal: request.signal,
          client: clientFor(target),
        });
      } catch (err) {
        return new Response(`Cannot relay to ${target.host}: ${err}\n`, { status: 502 });
      }
      const answerHeaders = new Headers(answer.headers);
      for (const name of [...HOP_BY_HOP, "content-encoding", "content-length"]) {
        answerHeaders.delete(name);
      }
      return new Response(answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answerHeaders,
      });
    },
  );
  const self = `${server.addr.hostname}:${server.addr.port}`;

  return {
    url: `http://${self}`,
    take() {
      const taken = seen;
      seen = [];
      return taken;
    },
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      for (const client of clients.values()) client.close();
    },
  };
}

/** What the fake received since request number `from`, as `"METHOD /path"`. */
function receivedSince(fake: FakeUpstream, from: number): string[] {
  return fake.stats.requests.slice(from).map(({ method, path }) => `${method} ${path}`);
}

Deno.test("proxy: every request goes through HTTP_PROXY / HTTPS_PROXY", async (t) => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  fake.addGitHubToken(TOKEN, "octocat");
  await using proxy = startProxy();
  await using box = await sandbox(fake);
  const proxied = { ...box.env, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };

  await t.step("complete: the token exchange and the completion", async () => {
    const from = fake.stats.requests.length;
    const result = await runCli(["complete", "--lang", "python"], {
      env: { ...proxied, COPILOT_GITHUB_TOKEN: TOKEN },
      stdin: PROMPT,
    });
    assertEquals(
      { code: result.code, stdout: result.stdout, stderr: result.stderr },
      { code: 0, stdout: DEFAULT_COMPLETION_TEXT, stderr: "" },
    );
    const relayed = proxy.take();
    assertEquals(relayed, receivedSince(fake, from));
    assertArrayIncludes(relayed, [
      "GET /copilot_internal/v2/token",
      "POST /v1/engines/gpt-41-copilot/completions",
    ]);
  });

  await t.step("login: the device flow and /user", async () => {
    const from = fake.stats.requests.length;
    const result = await runCli(["login", "--no-browser"], { env: proxied });
    assertEquals(result.code, 0, result.stderr);
    assert(result.stderr.includes("Logged in as octocat"), result.stderr);
    const relayed = proxy.take();
    assertEquals(relayed, receivedSince(fake, from));
    assertArrayIncludes(relayed, [
      "POST /login/device/code",
      "POST /login/oauth/access_token",
      "GET /user",
    ]);
  });

  await t.step("NO_PROXY=127.0.0.1: straight to the fake, the proxy sees nothing", async () => {
    const from = fake.stats.requests.length;
    const result = await runCli(["complete"], {
      env: { ...proxied, NO_PROXY: "127.0.0.1" },
      stdin: PROMPT,
    });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, DEFAULT_COMPLETION_TEXT);
    assertArrayIncludes(receivedSince(fake, from), ["POST /v1/engines/gpt-41-copilot/completions"]);
    assertEquals(proxy.take(), []);
  });
});
