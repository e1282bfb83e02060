/**
 * End to end: `copilot serve 0` as a child process, in an isolated HOME,
 * against the project's fake Copilot.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { sandbox } from "../fixtures/spawn_cli.ts";
import {
  DEFAULT_CHAT_TEXT,
  DEFAULT_COMPLETION_TEXT,
  startFake,
} from "../fixtures/fake_upstream/mod.ts";
import { eventually, peakRssMiB, rawStatus, startServe } from "../fixtures/serve_process.ts";

const GITHUB_TOKEN = `ghu_${"ServeTestToken".padEnd(36, "0")}`;
const ORIGIN = "http://localhost:5173";
const decoder = new TextDecoder();

/** Reads `reader` until the text so far includes `wanted`; returns that text. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  wanted: string,
): Promise<string> {
  let text = "";
  while (!text.includes(wanted)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${JSON.stringify(wanted)}: ${text}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

async function readAll(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
}

/** The texts of the SSE chunks of an OpenAI completions stream, and whether [DONE] ended it. */
function completionTexts(sse: string): { text: string; done: boolean } {
  const data = sse.split("\n\n").filter((e) => e.trim() !== "").map((e) =>
    e.replace(/^data: ?/, "")
  );
  const done = data.at(-1) === "[DONE]";
  const text = data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d).choices[0]?.text ?? "")
    .join("");
  return { text, done };
}

/** The content of an OpenAI chat stream. */
function chatText(sse: string): string {
  return sse.split("\n\n").map((e) => e.trim().replace(/^data: ?/, ""))
    .filter((d) => d !== "" && d !== "[DONE]")
    .map((d) => JSON.parse(d).choices?.[0]?.delta?.content ?? "").join("");
}

Deno.test("copilot serve against the fake", async (t) => {
  await using fake = await startFake();
  fake.addGitHubToken(GITHUB_TOKEN, "octocat");
  await using box = await sandbox(fake);
  const env = { ...box.env, COPILOT_GITHUB_TOKEN: GITHUB_TOKEN };
  await using server = await startServe(env, ["0", "--allow-origin", ORIGIN]);
  const url = (path: string) => new URL(path, server.url).href;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url(path), {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  await t.step("listens on loopback only and says where", async () => {
    assertMatch(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const outside = Deno.networkInterfaces().find((i) =>
      i.family === "IPv4" && !i.address.startsWith("127.")
    );
    if (outside) {
      let refused = false;
      try {
        (await Deno.connect({ hostname: outside.address, port: server.port })).close();
      } catch {
        refused = true;
      }
      assert(refused, `reachable on ${outside.address}`);
    }
  });

  await t.step("GET /healthz", async () => {
    const res = await fetch(url("/healthz"));
    assertEquals(await res.json(), { ok: true, logged_in: true });
  });

  await t.step("POST / streams the completion text before the upstream finishes", async () => {
    fake.config.completions.hold = 1;
    const res = await post("/", { prompt: "def fib(n):\n", language: "python" });
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/plain; charset=utf-8");
    const reader = res.body!.getReader();
    const first = await readUntil(reader, "fib(1) → 1");
    assertEquals(first, DEFAULT_COMPLETION_TEXT.split("\n").slice(0, 2).join("\n"));
    fake.release();
    assertEquals(first + await readAll(reader), DEFAULT_COMPLETION_TEXT);
    fake.config.completions.hold = null;
    const sent = fake.requestsTo("/v1/engines/").at(-1)!.body as Record<string, unknown>;
    assertEquals(sent.prompt, "def fib(n):\n");
    assertEquals((sent.extra as Record<string, unknown>).language, "python");
  });

  await t.step("POST /v1/completions, streamed", async () => {
    fake.config.completions.hold = 1;
    const res = await post("/v1/completions", {
      model: "gpt-41-copilot",
      prompt: "def fib(n):\n",
      stream: true,
    });
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    const first = await readUntil(reader, "fib(1)");
    fake.release();
    const { text, done } = completionTexts(first + await readAll(reader));
    fake.config.completions.hold = null;
    assertEquals(text, DEFAULT_COMPLETION_TEXT);
    assert(done);
  });

  await t.step("POST /v1/completions, not streamed", async () => {
    const res = await post("/v1/completions", { prompt: "def fib(n):\n", n: 2, max_tokens: 64 });
    const body = await res.json();
    assertEquals(body.object, "text_completion");
    assertEquals(body.model, "gpt-41-copilot");
    assertEquals(body.choices.length, 2);
    assertEquals(body.choices[1], {
      text: DEFAULT_COMPLETION_TEXT,
      index: 1,
      logprobs: null,
      finish_reason: "stop",
    });
    assert(body.usage.completion_tokens > 0);
    assertEquals(
      (fake.requestsTo("/v1/engines/").at(-1)!.body as { max_tokens: number }).max_tokens,
      64,
    );
  });

  await t.step("POST /v1/chat/completions, streamed, before the upstream finishes", async () => {
    fake.config.chat.hold = 2;
    const res = await post("/v1/chat/completions", {
      model: "gpt-4.1",
      stream: true,
      messages: [{ role: "user", content: "fib?" }],
    });
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    const first = await readUntil(reader, "Voilà");
    fake.release();
    const all = first + await readAll(reader);
    fake.config.chat.hold = null;
    assertEquals(chatText(all), DEFAULT_CHAT_TEXT);
    assertStringIncludes(all, "data: [DONE]");
    const sent = fake.requestsTo("/chat/completions").at(-1)!;
    assertEquals(sent.headers["copilot-integration-id"], "jetbrains-chat");
  });

  await t.step("POST /v1/chat/completions, not streamed", async () => {
    const res = await post("/v1/chat/completions", {
      model: "gpt-4.1",
      messages: [{ role: "user", content: "fib?" }],
    });
    const body = await res.json();
    assertEquals(body.choices[0].message.content, DEFAULT_CHAT_TEXT);
  });

  await t.step("a model only served on /responses is bridged there, not sent to chat", async () => {
    const chats = fake.stats.chats;
    const responses = fake.stats.responses;
    const res = await post("/v1/chat/completions", {
      model: "gpt-5-codex",
      messages: [{ role: "user", content: "hi" }],
    });
    assertEquals(res.status, 200);
    assertEquals((await res.json()).object, "chat.completion");
    assertEquals(fake.stats.chats, chats);
    assertEquals(fake.stats.responses, responses + 1);
  });

  await t.step("GET /v1/models: OpenAI's list, odd entries skipped", async () => {
    const res = await fetch(url("/v1/models"));
    const body = await res.json();
    assertEquals(body.object, "list");
    const ids = body.data.map((m: { id: string }) => m.id);
    assert(ids.includes("gpt-4.1"));
    assert(ids.includes("nimbus-1"));
    assertEquals(ids.includes("broken-model"), false);
    assertEquals(body.data[0], {
      id: "gpt-4.1",
      object: "model",
      created: 0,
      owned_by: "Azure OpenAI",
    });
  });

  await t.step("a client that leaves mid-stream aborts the upstream request", async () => {
    try {
      for (const path of ["/", "/v1/completions", "/v1/chat/completions"]) {
        const aborted = fake.stats.abortedStreams;
        fake.config.completions.hold = 1;
        fake.config.chat.hold = 2;
        const res = await post(path, {
          prompt: "def fib(n):\n",
          model: path.includes("chat") ? "gpt-4.1" : undefined,
          messages: [{ role: "user", content: "x" }],
          stream: true,
        });
        const reader = res.body!.getReader();
        await reader.read();
        await reader.cancel();
        // Generous: a loaded machine is slow, but the abort must come without any more traffic.
        await eventually(
          () => fake.stats.abortedStreams === aborted + 1,
          `the abort of ${path}`,
          20_000,
        );
        await server.waitFor(
          new RegExp(`^POST ${path.replaceAll("/", "\\/")} 200 .*\\(client left\\)$`),
        );
      }
    } finally {
      // Held streams must not outlive this step, whatever happened in it.
      fake.config.completions.hold = null;
      fake.config.chat.hold = null;
    }
  });

  await t.step("each bad input gets its 4xx, and the server keeps serving", async () => {
    const expectError = async (res: Response, status: number, code: string) => {
      assertEquals(res.status, status);
      const body = await res.json();
      assertEquals(body.error.code, code);
      assertEquals(typeof body.error.message, "string");
      assertEquals(typeof body.error.type, "string");
      return body.error;
    };
    await expectError(await post("/v1/completions", "{not json"), 400, "invalid_json");
    const typed = await expectError(await post("/", { prompt: ["x"] }), 400, "invalid_type");
    assertStringIncludes(typed.message, "prompt");
    await expectError(await post("/v1/completions", { prompt: "x", n: "2" }), 400, "invalid_type");
    await expectError(await fetch(url("/v1/engines")), 404, "unknown_path");
    const wrong = await fetch(url("/v1/models"), { method: "DELETE" });
    assertEquals(wrong.headers.get("allow"), "GET, OPTIONS");
    await expectError(wrong, 405, "method_not_allowed");
    const huge = JSON.stringify({ prompt: "x".repeat(2 * 1024 * 1024) });
    await expectError(await post("/", huge), 413, "body_too_large");
    await expectError(
      await post("/", { prompt: "x" }, { origin: "https://evil.example" }),
      403,
      "forbidden_origin",
    );
    assertEquals(await rawStatus(server.port, `evil.example:${server.port}`), 403);
    assertEquals(await rawStatus(server.port, `localhost:${server.port}`), 200);
    assertEquals(await rawStatus(server.port, `[::1]:${server.port}`), 200);
    const res = await post("/", { prompt: "def fib(n):\n" });
    assertEquals(await res.text(), DEFAULT_COMPLETION_TEXT);
  });

  await t.step("CORS only for the allowed origin, preflight included", async () => {
    const preflight = await fetch(url("/v1/chat/completions"), {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assertEquals(preflight.status, 204);
    assertEquals(preflight.headers.get("access-control-allow-origin"), ORIGIN);
    await preflight.body?.cancel();
    const res = await fetch(url("/healthz"), { headers: { origin: ORIGIN } });
    assertEquals(res.headers.get("access-control-allow-origin"), ORIGIN);
    await res.body?.cancel();
    const plain = await fetch(url("/healthz"));
    assertEquals(plain.headers.get("access-control-allow-origin"), null);
    await plain.body?.cancel();
  });

  await t.step("20 requests on a stale session token share one refresh", async () => {
    const warm = await post("/", { prompt: "x" });
    await warm.body?.cancel();
    const exchanges = fake.stats.exchanges;
    const completions = fake.stats.completions;
    fake.expireSessionTokens();
    const answers = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          post("/v1/completions", { prompt: "def fib(n):\n" }).then(async (
            r,
          ) => [r.status, await r.json()]),
      ),
    );
    for (const [status, body] of answers) {
      assertEquals(status, 200, JSON.stringify(body));
      assertEquals(body.choices[0].text, DEFAULT_COMPLETION_TEXT);
    }
    assertEquals(fake.stats.exchanges, exchanges + 1);
    // At least the first is rejected; none is retried more than once (those sent after the
    // refresh already carry the new token).
    const sent = fake.stats.completions - completions;
    assert(sent >= 21 && sent <= 40, `${sent} completion requests for 20 answers`);
  });

  await t.step("a 503 is retried", async () => {
    const completions = fake.stats.completions;
    fake.failNext({ status: 503 });
    const res = await post("/", { prompt: "def fib(n):\n" });
    assertEquals(res.status, 200);
    assertEquals(await res.text(), DEFAULT_COMPLETION_TEXT);
    assertEquals(fake.stats.completions, completions + 2);
  });

  await t.step("a connection reset before the first byte is retried", async () => {
    const completions = fake.stats.completions;
    fake.failNext({ status: 200, reset: true });
    const res = await post("/v1/completions", { prompt: "def fib(n):\n", stream: true });
    assertEquals(res.status, 200);
    assertEquals(completionTexts(await res.text()), { text: DEFAULT_COMPLETION_TEXT, done: true });
    assertEquals(fake.stats.completions, completions + 2);
  });

  await t.step("the openai npm client streams completions and chat through it", async () => {
    const { OpenAI } = await import("../fixtures/agents_sdk_cases.ts");
    const client = new OpenAI({ baseURL: url("/v1"), apiKey: "unused", maxRetries: 0 });
    let text = "";
    const completions = await client.completions.create({
      model: "gpt-41-copilot",
      prompt: "def fib(n):\n",
      stream: true,
    });
    for await (const chunk of completions) text += chunk.choices[0]?.text ?? "";
    assertEquals(text, DEFAULT_COMPLETION_TEXT);

    let content = "";
    const chat = await client.chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "fib?" }],
      stream: true,
    });
    for await (const chunk of chat) content += chunk.choices[0]?.delta?.content ?? "";
    assertEquals(content, DEFAULT_CHAT_TEXT);

    const whole = await client.chat.completions.create({
      model: "gpt-4.1",
      messages: [{ role: "user", content: "fib?" }],
    });
    assertEquals(whole.choices[0]?.message.content, DEFAULT_CHAT_TEXT);
    const models = await client.models.list();
    assert(models.data.some((model) => model.id === "gpt-4.1"));
  });

  await t.step("upstream trouble is passed on with a fitting status", async () => {
    fake.failNext({ status: 429, retryAfter: 7 });
    const limited = await post("/v1/completions", { prompt: "x" });
    assertEquals(limited.status, 429);
    assertEquals(limited.headers.get("retry-after"), "7");
    assertEquals((await limited.json()).error.type, "rate_limit_error");

    fake.failNext({ status: 503 }, { status: 503 }, { status: 503 });
    const down = await post("/v1/chat/completions", {
      model: "gpt-4.1",
      messages: [{ role: "user" }],
    });
    assertEquals(down.status, 503);
    assertStringIncludes((await down.json()).error.message, "service unavailable");

    fake.failNext({ status: 466 });
    const old = await post("/", { prompt: "x" });
    assertEquals(old.status, 502);
    assertStringIncludes((await old.json()).error.message, "no longer supported");

    fake.failNext({ status: 404 });
    const missing = await post("/", { prompt: "x", model: "gpt-41-copilot" });
    assertEquals(missing.status, 404);
    await missing.body?.cancel();

    const ok = await post("/", { prompt: "def fib(n):\n" });
    assertEquals(await ok.text(), DEFAULT_COMPLETION_TEXT);
  });

  await t.step("256 concurrent streams all complete; peak memory stays under 150 MB", async () => {
    // Every stream is held after its first event until all 256 are open at once.
    fake.config.completions.hold = 1;
    const started = fake.stats.completions;
    const all = Promise.all(
      Array.from({ length: 256 }, async (_, i) => {
        const res = await post(i % 2 ? "/" : "/v1/completions", {
          prompt: "def fib(n):\n",
          stream: true,
        });
        const body = await res.text();
        return i % 2 ? body : completionTexts(body).text;
      }),
    );
    await eventually(() => fake.stats.completions === started + 256, "256 streams open", 20_000);
    for (let i = 0; i < 256; i++) fake.release();
    fake.config.completions.hold = null;
    const texts = await all;
    for (const text of texts) assertEquals(text, DEFAULT_COMPLETION_TEXT);
    const rss = await peakRssMiB(server.child.pid);
    assert(rss !== undefined || Deno.build.os !== "linux", "no peak RSS on Linux");
    if (rss !== undefined) assert(rss < 150, `peak RSS ${rss.toFixed(1)} MiB`);
  });

  await t.step("one access-log line per request: method, path, status, duration", async () => {
    await server.waitFor(/^GET \/healthz 200 \d+\.\dms$/);
    await server.waitFor(/^POST \/v1\/completions 400 \d+\.\dms$/);
    await server.waitFor(/^POST \/v1\/chat\/completions 503 \d+\.\dms \(.*service unavailable/);
  });

  await t.step("SIGTERM: no new connections, the stream in flight finishes, exit 0", async () => {
    fake.config.completions.hold = 1;
    const res = await post("/", { prompt: "def fib(n):\n" });
    const reader = res.body!.getReader();
    const first = await readUntil(reader, "fib(1)");
    server.child.kill("SIGTERM");
    await server.waitFor(/SIGTERM: shutting down/);
    let refused = false;
    await fetch(url("/healthz")).then((r) => r.body?.cancel(), () => refused = true);
    assert(refused, "still accepting connections");
    fake.release();
    assertEquals(first + await readAll(reader), DEFAULT_COMPLETION_TEXT);
    const status = await server.stop();
    assertEquals(status.code, 0);
  });

  await t.step("no token shows in the log", () => {
    const log = server.lines.join("\n");
    assert(!log.includes(GITHUB_TOKEN));
    assert(!log.includes("tid="), log);
    const sessionTokens = new Set(
      fake.stats.requests.map((r) => r.headers.authorization ?? "").filter((a) =>
        a.startsWith("Bearer ")
      ).map((a) => a.slice(7)),
    );
    assert(sessionTokens.size > 1);
    for (const token of sessionTokens) assert(!log.includes(token));
  });
});

Deno.test("copilot serve --api-key / COPILOT_SERVE_KEY, --quiet, SIGINT", async (t) => {
  await using fake = await startFake();
  fake.addGitHubToken(GITHUB_TOKEN, "octocat");
  await using box = await sandbox(fake);
  const env = { ...box.env, COPILOT_GITHUB_TOKEN: GITHUB_TOKEN };
  const [byFlag, byEnv] = await Promise.all([
    startServe(env, ["0", "--api-key", "flag-key", "--quiet"]),
    startServe({ ...env, COPILOT_SERVE_KEY: "env-key" }, ["0", "--quiet"]),
  ]);
  await using _flag = byFlag;
  await using _env = byEnv;

  for (const [server, key] of [[byFlag, "flag-key"], [byEnv, "env-key"]] as const) {
    await t.step(`the key is required (${key})`, async () => {
      const call = (headers: Record<string, string>) =>
        fetch(new URL("/v1/completions", server.url), {
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify({ prompt: "def fib(n):\n" }),
        });
      for (
        const headers of [{}, { authorization: "Bearer wrong" }, { authorization: key }] as Record<
          string,
          string
        >[]
      ) {
        const res = await call(headers);
        assertEquals(res.status, 401);
        assertEquals((await res.json()).error.code, "invalid_api_key");
      }
      const ok = await call({ authorization: `Bearer ${key}` });
      assertEquals(ok.status, 200);
      assertEquals((await ok.json()).choices[0].text, DEFAULT_COMPLETION_TEXT);
    });
  }

  await t.step("--quiet: no access log; SIGINT exits 0", async () => {
    const status = await byFlag.stop("SIGINT");
    assertEquals(status.code, 0);
    assertEquals(byFlag.lines.filter((l) => / \d+\.\dms/.test(l)), []);
    assert(!byFlag.lines.join("\n").includes("flag-key"));
  });
});

Deno.test("copilot serve --host 0.0.0.0 without a login warns, and still guards Host", async () => {
  await using box = await sandbox();
  await using server = await startServe(box.env, ["0", "--host", "0.0.0.0"]);
  assertMatch(server.url, /^http:\/\/0\.0\.0\.0:\d+\/$/);
  await server.waitFor(/warning: 0\.0\.0\.0 is not a loopback address.*--api-key/);
  await server.waitFor(/warning: not logged in; .*`copilot login`/);
  const listening = await server.waitFor(/^Listening on /);
  assertMatch(
    listening,
    /^Listening on http:\/\/0\.0\.0\.0:\d+\/ \(OpenAI base URL: http:\/\/0\.0\.0\.0:\d+\/v1\)$/,
  );
  assertEquals(await rawStatus(server.port, `127.0.0.1:${server.port}`), 200);
  assertEquals(await rawStatus(server.port, `10.1.2.3:${server.port}`), 200);
  assertEquals(await rawStatus(server.port, `rebind.evil.example:${server.port}`), 403);
  const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  assertEquals(await health.json(), { ok: true, logged_in: false });
  const res = await fetch(`http://127.0.0.1:${server.port}/`, {
    method: "POST",
    body: JSON.stringify({ prompt: "x" }),
  });
  assertEquals(res.status, 503);
  assertStringIncludes((await res.json()).error.message, "copilot login");
  // An empty prompt is refused as the CLI refuses it, before any login is needed.
  for (
    const [path, body] of [["/", { prompt: " \n" }], ["/v1/completions", { prompt: "" }]] as const
  ) {
    const empty = await fetch(`http://127.0.0.1:${server.port}${path}`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    assertEquals(empty.status, 400, path);
    assertStringIncludes((await empty.json()).error.message, "empty prompt: nothing to complete");
  }
});

Deno.test("copilot serve refreshes the session token in the background, before it is needed", async () => {
  await using fake = await startFake({ exchange: { refreshIn: 1 } });
  fake.addGitHubToken(GITHUB_TOKEN, "octocat");
  await using box = await sandbox(fake);
  await using _server = await startServe({ ...box.env, COPILOT_GITHUB_TOKEN: GITHUB_TOKEN }, [
    "0",
    "--quiet",
  ]);
  // No request at all: the first exchange happens at start, the next when refresh_in passes.
  await eventually(() => fake.stats.exchanges >= 1, "the exchange at start");
  await eventually(() => fake.stats.exchanges >= 2, "a background refresh", 4000);
  assertEquals(fake.stats.completions, 0);
});

Deno.test({
  name: "copilot serve: SIGTERM cuts a stream still running after the grace, exit 0",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using fake = await startFake({ completions: { hold: 1 } });
    fake.addGitHubToken(GITHUB_TOKEN, "octocat");
    await using box = await sandbox(fake);
    const env = { ...box.env, COPILOT_GITHUB_TOKEN: GITHUB_TOKEN, COPILOT_SERVE_GRACE: "0.5" };
    await using server = await startServe(env, ["0", "--quiet"]);
    const res = await fetch(server.url, { method: "POST", body: '{"prompt": "def fib(n):\\n"}' });
    const reader = res.body!.getReader();
    await readUntil(reader, "fib(1)");
    const started = performance.now();
    server.child.kill("SIGTERM");
    await server.waitFor(/SIGTERM: shutting down \(requests in flight get up to 0\.5 s\)/);
    const status = await server.child.status; // not stop(): a second signal ends the wait
    const took = performance.now() - started;
    assertEquals(status.code, 0);
    assert(took >= 450 && took < 3000, `exited after ${took.toFixed(0)} ms`);
    await reader.read().then(() => reader.cancel(), () => {});
    // The held upstream stream was aborted, not left hanging.
    await eventually(() => fake.stats.abortedStreams === 1, "the upstream abort");
  },
});
