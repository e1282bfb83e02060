import { assert, assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { readSettings } from "../base/settings.ts";
import { Session } from "../auth/session.ts";
import type { GitHubCredential } from "../auth/credential.ts";
import { CopilotClient } from "./client.ts";
import { toStream } from "../base/pull.ts";

/** Copilot chat's answer to an empty conversation, as text. */
async function chatText(client: CopilotClient): Promise<string> {
  const { body } = await client.post("chat", { model: "gpt", messages: [] });
  return await new Response(toStream(body)).text();
}

const CREDENTIAL: GitHubCredential = {
  token: "ghu_test",
  kind: "login",
  source: "copilot login",
  host: "github.com",
};

const SSE = 'data: {"choices":[{"index":0,"text":"return n","finish_reason":"stop"}]}\n\n' +
  "data: [DONE]\n\n";

type Reply = Response | Error | "hang";

/** A client over a temp config dir, a counting exchange and a scripted `fetch`. */
async function setup(
  replies: Reply[],
  options: {
    timeout?: number;
    identity?: Record<string, string>;
    model?: string | null;
    fromGitHub?: boolean;
  } = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "copilot-client-" });
  const model = options.model === undefined ? "test-model" : options.model;
  const settings = readSettings({
    COPILOT_CONFIG_DIR: dir,
    ...(model === null ? {} : { COPILOT_MODEL: model }),
    ...options.identity,
  });
  const exchanged: string[] = [];
  const session = new Session({
    settings,
    findCredentials: () => Promise.resolve([CREDENTIAL]),
    exchange: () => {
      exchanged.push(CREDENTIAL.token);
      return Promise.resolve({
        token: `tid=${exchanged.length};sku=free:ab`,
        expiresAt: Date.now() / 1000 + 1800,
        refreshIn: 1500,
        endpoints: { proxy: "https://proxy.test", api: "https://api.test" },
      });
    },
  });
  const sent: Request[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    sent.push(request);
    const reply = replies.shift() ?? new Response("no reply scripted", { status: 599 });
    // GitHub stamps every answer; a proxy in between would not.
    if (reply instanceof Response && options.fromGitHub !== false) {
      reply.headers.set("x-github-request-id", "ABCD:1234");
    }
    if (reply === "hang") {
      return new Promise((_, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason), { once: true })
      );
    }
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
  };
  const client = new CopilotClient({
    settings,
    session,
    fetch,
    backoff: () => 0,
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
  return {
    dir,
    client,
    sent,
    exchanged,
    session,
    async complete(): Promise<string> {
      const chunks = await Array.fromAsync(await client.completions({ prompt: "def f(n):\n" }));
      return chunks.map((chunk) => chunk.text).join("");
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const sse = () => new Response(SSE, { headers: { "content-type": "text/event-stream" } });
const status = (code: number, headers?: HeadersInit) =>
  Response.json({ error: { message: `said ${code}` } }, { status: code, headers });

Deno.test("a completion: the session token, the model's URL, identity headers", async () => {
  await using t = await setup([sse()]);
  assertEquals(await t.complete(), "return n");
  const [request] = t.sent;
  assertEquals(request!.url, "https://proxy.test/v1/engines/test-model/completions");
  assertEquals(request!.headers.get("authorization"), "Bearer tid=1;sku=free:ab");
  assertEquals(request!.headers.get("openai-intent"), "copilot-ghost");
  assert(request!.headers.get("editor-version"));
  assertEquals((await request!.json()).prompt.endsWith("def f(n):\n"), true);
});

Deno.test("401: one new exchange and one retry with the new token", async () => {
  await using t = await setup([status(401), sse()]);
  assertEquals(await t.complete(), "return n");
  assertEquals(t.exchanged.length, 2);
  assertEquals(t.sent.map((r) => r.headers.get("authorization")), [
    "Bearer tid=1;sku=free:ab",
    "Bearer tid=2;sku=free:ab",
  ]);
  // Each attempt has its own request id.
  assertNotEquals(t.sent[0]!.headers.get("x-request-id"), t.sent[1]!.headers.get("x-request-id"));
});

Deno.test("403 twice: reported after one refresh, exit 4", async () => {
  await using t = await setup([status(403), status(403)]);
  const err = await assertRejects(() => t.complete(), CopilotError);
  assertEquals(err.exitCode, ExitCode.Auth);
  assert(err.message.startsWith("Copilot rejected the session token"), err.message);
  assertEquals(t.sent.length, 2);
});

Deno.test("5xx and resets are retried twice, then reported", async () => {
  {
    await using t = await setup([status(502), new TypeError("connection reset"), sse()]);
    assertEquals(await t.complete(), "return n");
    assertEquals(t.sent.length, 3);
  }
  {
    await using t = await setup([status(503), status(500), status(504)]);
    const err = await assertRejects(() => t.complete(), CopilotError);
    assertEquals(err.message, "Copilot answered 504: said 504");
    assertEquals(t.sent.length, 3);
  }
});

Deno.test("a reset before the first byte of an OK answer is retried", async () => {
  const broken = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.error(new TypeError("connection reset")),
  });
  await using t = await setup([new Response(broken), sse()]);
  assertEquals(await t.complete(), "return n");
  assertEquals(t.sent.length, 2);
});

Deno.test("429: a short Retry-After is waited out once, a long one fails with exit 5", async () => {
  {
    await using t = await setup([status(429, { "retry-after": "0" }), sse()]);
    assertEquals(await t.complete(), "return n");
    assertEquals(t.sent.length, 2);
  }
  {
    await using t = await setup([status(429, { "retry-after": "60" })]);
    const err = await assertRejects(() => t.complete(), CopilotError);
    assertEquals(err.exitCode, ExitCode.RateLimited);
    assertEquals(err.message, "Copilot rate limit reached; try again in 60 s");
    assertEquals(t.sent.length, 1);
  }
});

Deno.test("a timeout is reported at once, never retried", async () => {
  await using t = await setup(["hang", sse()], { timeout: 0.05 });
  const err = await assertRejects(() => t.complete(), CopilotError);
  assertEquals(err.exitCode, ExitCode.Timeout);
  assertEquals(t.sent.length, 1);
  // Let the watchdogs' shared wake-up pass.
  await new Promise((resolve) => setTimeout(resolve, 80));
});

Deno.test("describeCompletion: the placeholder before any exchange, the cached token after", async () => {
  await using t = await setup([sse()]);
  const before = await t.client.describeCompletion({ prompt: "x" });
  assertEquals(
    before.url,
    "https://copilot-proxy.githubusercontent.com/v1/engines/test-model/completions",
  );
  assertEquals(before.headers.Authorization, "Bearer tid=SESSION-TOKEN-NOT-YET-EXCHANGED");
  assertEquals(t.exchanged.length, 0);
  await t.complete();
  const after = await t.client.describeCompletion({ prompt: "x", model: "m" });
  assertEquals(after.url, "https://proxy.test/v1/engines/m/completions");
  assertEquals(after.headers.Authorization, "Bearer tid=1;sku=free:ab");
  assertEquals(Object.keys(after.headers).slice(0, 3), [
    "Authorization",
    "Content-Type",
    "X-Request-Id",
  ]);
});

Deno.test("chat and models go to the api endpoint", async () => {
  await using t = await setup([
    Response.json({ data: [{ id: "m1" }] }),
    new Response('data: {"choices":[]}\n\n'),
  ]);
  assertEquals(await t.client.models(), [{ id: "m1" }]);
  assertEquals(await chatText(t.client), 'data: {"choices":[]}\n\n');
  assertEquals(t.sent.map((r) => r.url), [
    "https://api.test/models",
    "https://api.test/chat/completions",
  ]);
  assertEquals(t.sent[1]!.headers.get("copilot-integration-id"), "jetbrains-chat");
});

Deno.test("every call carries its hop's identity headers, ids kept in the config dir", async () => {
  await using t = await setup([
    sse(),
    Response.json({ data: [] }),
    new Response("data: [DONE]\n\n"),
  ]);
  await t.complete();
  await t.client.models();
  await chatText(t.client);
  const [completion, models, chat] = t.sent.map((r) => Object.fromEntries(r.headers));
  const ids = JSON.parse(await Deno.readTextFile(`${t.dir}/install.json`));
  assertEquals(completion!["vscode-machineid"], ids.machineId);
  assertEquals(completion!["x-github-api-version"], "2026-01-09");
  assertEquals(completion!["user-agent"], "GithubCopilot/1.539.0");
  assertEquals(completion!["x-copilot-async"], "true");
  assert(/^[0-9a-f-]{36}\d{13}$/.test(completion!["vscode-sessionid"]!));
  assertEquals(models!["x-github-api-version"], "2026-06-01");
  assertEquals(models!["vscode-machineid"], undefined);
  assertEquals(chat!["openai-intent"], "conversation-panel");
  assertEquals(chat!["vscode-sessionid"], completion!["vscode-sessionid"]);
  assertNotEquals(chat!["x-interaction-id"], chat!["x-request-id"]);
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(`${t.dir}/install.json`)).mode! & 0o777, 0o600);
  }
});

Deno.test("the vscode preset: VS Code's headers on completions, chat and models", async () => {
  await using t = await setup(
    [sse(), Response.json({ data: [] }), new Response("data: [DONE]\n\n")],
    { identity: { COPILOT_CLIENT: "vscode" } },
  );
  await t.complete();
  await t.client.models();
  await chatText(t.client);
  const [completion, models, chat] = t.sent.map((r) => Object.fromEntries(r.headers));
  const ids = JSON.parse(await Deno.readTextFile(`${t.dir}/install.json`));
  assertEquals(completion!["x-policy-id"], "nil");
  assertEquals(completion!["copilot-language-server-version"], "0.60.0");
  assertEquals(models!["x-agent-task-id"], models!["x-request-id"]);
  assertEquals(models!["editor-device-id"], ids.deviceId);
  assertEquals(models!["content-type"], undefined);
  assertEquals(chat!["copilot-integration-id"], "vscode-chat");
  assertEquals(chat!["x-vscode-user-agent-library-version"], "electron-fetch");
});

Deno.test("the completion model is /models' first completion entry, fetched once per session token", async () => {
  const list = Response.json({
    data: [
      { id: "gpt-4.1", is_chat_default: true, capabilities: { type: "chat" } },
      { id: "next-copilot", preview: true, capabilities: { type: "completion" } },
      { id: "listed-copilot", capabilities: { type: "completion" } },
    ],
  });
  await using t = await setup([list, sse(), sse()], { model: null });
  assertEquals(await t.complete(), "return n");
  assertEquals(await t.complete(), "return n");
  assertEquals(t.sent.map((r) => new URL(r.url).pathname), [
    "/models",
    "/v1/engines/listed-copilot/completions",
    "/v1/engines/listed-copilot/completions",
  ]);
  assertEquals(await t.client.chatDefault(), "gpt-4.1");
  // Another client over the same config dir reads the choice from the cache: no /models.
  const again = new CopilotClient({
    settings: readSettings({ COPILOT_CONFIG_DIR: t.dir }),
    session: t.session,
    fetch: () => Promise.reject(new Error("no request expected")),
  });
  assertEquals(await again.completionModel(), "listed-copilot");
});

Deno.test("/models failing leaves gpt-41-copilot", async () => {
  await using t = await setup([status(500), status(500), status(500), sse()], { model: null });
  assertEquals(await t.complete(), "return n");
  assertEquals(new URL(t.sent.at(-1)!.url).pathname, "/v1/engines/gpt-41-copilot/completions");
});

Deno.test("499 says the server cancelled; a 4xx without x-github-request-id names a proxy", async () => {
  {
    await using t = await setup([status(499)]);
    const err = await assertRejects(() => t.complete(), CopilotError);
    assertEquals(err.message, "Copilot cancelled the request on its side (499): said 499");
    assertEquals(t.sent.length, 1);
  }
  {
    await using t = await setup([status(400)], { fromGitHub: false });
    const err = await assertRejects(() => t.complete(), CopilotError);
    assert(err.message.includes("a proxy or firewall may be answering instead"), err.message);
  }
});

Deno.test("402 names the exhausted quota and its reset date (exit 5)", async () => {
  const headers = {
    "x-quota-snapshot-chat": "ent=-1&ov=0&ovPerm=false&rem=100&rst=2026-01-01T00%3A00%3A00Z",
    "x-quota-snapshot-completions": "ent=2000&ov=0&ovPerm=false&rem=0&rst=2026-01-01T00%3A00%3A00Z",
  };
  await using t = await setup([status(402, headers)]);
  const err = await assertRejects(() => t.complete(), CopilotError);
  assertEquals(err.exitCode, ExitCode.RateLimited);
  assertEquals(
    err.message,
    "Copilot quota exhausted: completions (0 of 2000 left); it resets 2026-01-01T00:00:00Z",
  );
});
