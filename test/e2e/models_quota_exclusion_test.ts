/**
 * Issue 12 end to end against the fake: the completion model from `/models`
 * (cached with the session token), plan and quotas in `status` and `serve`'s
 * `GET /usage`, quota messages, content exclusion refusing a file with
 * nothing sent, and a 5 MB prompt cut to the token budget.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli, type RunResult } from "../fixtures/spawn_cli.ts";
import { assertNoToken, loggedIn, PROMPT } from "../fixtures/logged_in.ts";
import { startServe } from "../fixtures/serve_process.ts";
import { type DeepPartial, defaultModels, type FakeConfig } from "../fixtures/fake_upstream/mod.ts";

const TOKEN = "ghu_modelsQuotaTestToken0000000000000000";
/** A fake, a sandbox logged in through COPILOT_GITHUB_TOKEN, and a runner. */
async function setup(config: DeepPartial<FakeConfig> = {}) {
  const env = await loggedIn(TOKEN, config);
  const { fake, box } = env;
  return Object.assign(env, {
    async run(args: string[], stdin: string = PROMPT, cwd?: string): Promise<RunResult> {
      const result = await runCli(args, { env: box.env, stdin, ...(cwd ? { cwd } : {}) });
      assertNoToken(result);
      return result;
    },
    /** Paths requested since `from` (an index into the recordings). */
    pathsSince(from: number): string[] {
      return fake.stats.requests.slice(from).map((r) => r.path);
    },
  });
}

/** The default model list with `gpt-4o-copilot` as the first completion model. */
function modelsLeadingWith4o(): Record<string, unknown>[] {
  return defaultModels().filter((m) => m.id !== "gpt-41-copilot");
}

Deno.test("complete: the completion model comes from /models, fetched once per session token", async () => {
  await using env = await setup({ models: modelsLeadingWith4o() });
  const cold = await env.run(["complete"]);
  assertEquals([cold.code, cold.stderr], [0, ""]);
  assertEquals(env.pathsSince(0), [
    "/copilot_internal/v2/token",
    "/copilot_internal/user",
    "/models",
    "/v1/engines/gpt-4o-copilot/completions",
  ]);
  // Warm: exactly one request, the completion.
  const before = env.fake.stats.requests.length;
  assertEquals((await env.run(["complete"])).code, 0);
  assertEquals(env.pathsSince(before), ["/v1/engines/gpt-4o-copilot/completions"]);
  // --model and COPILOT_MODEL still win.
  const chosen = env.fake.stats.requests.length;
  assertEquals((await env.run(["complete", "--model", "copilot-codex"])).code, 0);
  assertEquals(env.pathsSince(chosen), ["/v1/engines/copilot-codex/completions"]);
  // `copilot models` lists them and marks the one in use.
  const listed = await env.run(["models"]);
  assertEquals(listed.code, 0, listed.stderr);
  assertMatch(listed.stdout, /^gpt-4o-copilot +completion +Azure OpenAI +\(used by complete\)$/m);
  assertMatch(listed.stdout, /^gpt-4\.1 +chat .*chat default/m);
  const json = JSON.parse((await env.run(["models", "--json"])).stdout);
  assertEquals([json.completionModel, json.chatDefault], ["gpt-4o-copilot", "gpt-4.1"]);
});

Deno.test("status: plan, each quota and the reset date; --json; one copilot_internal/user per session", async () => {
  await using env = await setup({ account: { plan: "business", quotaResetDate: "2026-01-01" } });
  const text = await env.run(["status"]);
  assertEquals(text.code, 0, text.stderr);
  assertStringIncludes(text.stdout, "Plan:    business, sku yearly_subscriber\n");
  assertStringIncludes(text.stdout, "Quotas:  chat: unlimited\n");
  assertStringIncludes(text.stdout, "         premium requests: 29 of 300 used, 271 left\n");
  assertStringIncludes(text.stdout, "Resets:  2026-01-01");
  const json = JSON.parse((await env.run(["status", "--json"])).stdout);
  assertEquals(json.usage.plan, "business");
  assertEquals(json.usage.resetDate, "2026-01-01");
  assertEquals(
    json.usage.quotas.find((q: { id: string }) => q.id === "premium_interactions"),
    {
      id: "premium_interactions",
      entitlement: 300,
      used: 29,
      remaining: 271,
      percentRemaining: 90.3,
      unlimited: false,
      overagePermitted: false,
      resetDate: "2026-01-01",
    },
  );
  assertEquals([env.fake.stats.exchanges, env.fake.stats.copilotUsers], [1, 1]);
});

Deno.test("complete: a 402 names the exhausted quota and when it resets (exit 5)", async () => {
  await using env = await setup();
  env.fake.failNext({
    status: 402,
    body: "quota exceeded",
    headers: {
      "x-quota-snapshot-completions": "ent=2000&ov=0&ovPerm=false&rem=0&rst=2026-01-01",
    },
  });
  const { code, stderr } = await env.run(["complete"]);
  assertEquals(code, 5);
  assertStringIncludes(
    stderr,
    "Copilot quota exhausted: completions (0 of 2000 left); it resets 2026-01-01",
  );
});

Deno.test("complete: 499 is Copilot cancelling, not retried; a 4xx without GitHub's id names a proxy", async () => {
  await using env = await setup();
  env.fake.failNext({ status: 499 });
  const cancelled = await env.run(["complete"]);
  assertEquals(cancelled.code, 1);
  assertStringIncludes(
    cancelled.stderr,
    "Copilot cancelled the request on its side (499): request canceled by the server",
  );
  assertEquals(env.fake.stats.completions, 1);
  env.fake.config.completions.requestIdHeader = false;
  env.fake.failNext({ status: 400 });
  const proxied = await env.run(["complete"]);
  assertEquals(proxied.code, 1);
  assertStringIncludes(proxied.stderr, "a proxy or firewall may be answering instead");
});

Deno.test("complete: a limited user's 402 without quota headers gives the reset date of copilot_internal/user", async () => {
  await using env = await setup({
    account: {
      plan: "free",
      sku: "free_limited_copilot",
      quotaResetDate: "2026-02-01",
      quotas: { chat: [50, 20, false], completions: [2000, 0, false] },
    },
  });
  env.fake.failNext({ status: 402, body: "quota exceeded" });
  const { code, stderr } = await env.run(["complete"]);
  assertEquals(code, 5);
  assertStringIncludes(stderr, "Copilot quota exhausted: completions; it resets 2026-02-01");
});

Deno.test("complete --file: an excluded file is refused (exit 6) and nothing of it is sent", async () => {
  await using env = await setup({
    exclusion: {
      rules: {
        "https://github.com/octo/secret": [{
          paths: ["/private/**", "*.pem"],
          source: { name: "octo", type: "Organization" },
        }],
      },
    },
  });
  const repo = `${env.box.home}/work/secret`;
  await Deno.mkdir(`${repo}/.git`, { recursive: true });
  await Deno.mkdir(`${repo}/private`);
  await Deno.mkdir(`${repo}/src`);
  await Deno.writeTextFile(
    `${repo}/.git/config`,
    '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:octo/secret.git\n',
  );
  await Deno.writeTextFile(`${repo}/private/keys.py`, "SECRET = 'hunter2'\ndef f():\n");
  await Deno.writeTextFile(`${repo}/src/ok.py`, "def fib(n):\n");

  const refused = await env.run(["complete", "--file", "private/keys.py"], "", repo);
  assertEquals(refused.code, 6);
  assertStringIncludes(refused.stderr, "private/keys.py is excluded from Copilot by octo");
  assertEquals(env.fake.requestsTo("/v1/engines/").length, 0);
  assert(!JSON.stringify(env.fake.stats.requests).includes("hunter2"));
  const [asked] = env.fake.requestsTo("/copilot_internal/content_exclusion");
  // The default preset (the language server) sends its own scheme on copilot_internal/*.
  assertMatch(asked!.headers["authorization"]!, /^Bearer ghu_/);

  const allowed = await env.run(["complete", "--file", "src/ok.py"], "", repo);
  assertEquals(allowed.code, 0, allowed.stderr);
  // The rules are cached with the session token: no second content_exclusion request.
  assertEquals(env.fake.stats.exclusions, 1);
  const before = env.fake.stats.requests.length;
  assertEquals((await env.run(["complete", "--file", "src/ok.py"], "", repo)).code, 0);
  assertEquals(env.pathsSince(before), ["/v1/engines/gpt-41-copilot/completions"]);
});

Deno.test("complete: a 5 MB prompt goes out within the token budget; --json and --dry-run say the cut", async () => {
  await using env = await setup();
  const big = "x = 1\n".repeat(900_000); // 5.4 MB
  const { code, stdout, stderr } = await env.run(["complete", "--json"], big + PROMPT);
  assertEquals(code, 0, stderr);
  const sent = env.fake.requestsTo("/v1/engines/").at(-1)!.body as Record<string, unknown>;
  const prompt = sent.prompt as string;
  assert(prompt.length <= 7692 * 4, `${prompt.length} characters sent`);
  assert(prompt.endsWith(PROMPT), "the text nearest the cursor is kept");
  const { cut } = JSON.parse(stdout);
  assertEquals(cut.prefix_chars, big.length + PROMPT.length - prompt.length);
  assert(cut.prefix_tokens > 1_000_000);
  const dry = await env.run(["complete", "--dry-run"], big);
  assertEquals(dry.code, 0, dry.stderr);
  assertMatch(
    dry.stdout,
    /# cut to the prompt budget: \d+ tokens \(\d+ characters\) from the start/,
  );
});

Deno.test("serve: GET /usage, chat without a model, unknown models, the completion model listed", async () => {
  await using env = await setup();
  await using server = await startServe(env.box.env);
  const url = (path: string) => new URL(path, server.url).href;
  const usage = await (await fetch(url("/usage"))).json();
  assertEquals([usage.plan, usage.resetDate], ["individual", "2099-01-01"]);
  assertEquals(usage.quotas.length, 3);

  const chat = (body: unknown) =>
    fetch(url("/v1/chat/completions"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const answered = await chat({ messages: [{ role: "user", content: "hi" }] });
  assertEquals(answered.status, 200);
  assertEquals((await answered.json()).model, "gpt-4.1");
  const unknown = await chat({ model: "gpt-9", messages: [{ role: "user", content: "hi" }] });
  assertEquals(unknown.status, 400);
  const { error } = await unknown.json();
  assertEquals(error.code, "model_not_found");
  for (const name of ["gpt-4.1", "gpt-4o", "claude-sonnet-4.5"]) {
    assertStringIncludes(error.message, name);
  }

  const models = await (await fetch(url("/v1/models"))).json();
  assert(models.data.some((m: { id: string }) => m.id === "gpt-41-copilot"));
  await server.stop();
});
