/**
 * `copilot complete` end to end: the real CLI (spawned with the permission
 * set) against the project's strict fake.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli, type RunResult, sandbox, spawnCli } from "../fixtures/spawn_cli.ts";
import { assertNoToken, loggedIn, PROMPT } from "../fixtures/logged_in.ts";
import {
  type DeepPartial,
  DEFAULT_COMPLETION_TEXT,
  type FakeConfig,
  type FakeUpstream,
  startFake,
} from "../fixtures/fake_upstream/mod.ts";

const TOKEN = "ghu_completeTestToken0000000000000000000";
/** A fake with a logged-in user, and a sandbox whose env logs in with that user's token. */
async function setup(config: DeepPartial<FakeConfig> = {}) {
  const env = await loggedIn(TOKEN, config);
  const { box } = env;
  return Object.assign(env, {
    /** Runs `copilot complete ARGS` with `stdin`; asserts no token ever shows. */
    async complete(args: string[] = [], stdin: string | Uint8Array = PROMPT): Promise<RunResult> {
      const result = await runCli(["complete", ...args], { env: box.env, stdin });
      assertNoToken(result);
      return result;
    },
  });
}

/** Asserts a clean run: exit 0, the whole default completion on stdout, nothing on stderr. */
function assertClean({ code, stdout, stderr }: RunResult): void {
  assertEquals({ code, stdout, stderr }, { code: 0, stdout: DEFAULT_COMPLETION_TEXT, stderr: "" });
}

/** Spawns `copilot ARGS`, writes PROMPT to its stdin and closes it; the child and a reader of its stdout. */
async function spawnWithPrompt(env: Record<string, string>, args: string[]) {
  const child = spawnCli(args, { env, stdin: "piped" });
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(PROMPT));
  await writer.close();
  return { child, reader: child.stdout.getReader() };
}

/** Reads the child's stdout until `predicate` holds on what came so far. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!predicate(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

function lastCompletionBody(fake: FakeUpstream): Record<string, unknown> {
  return fake.requestsTo("/v1/engines/").at(-1)!.body as Record<string, unknown>;
}

Deno.test("complete: output", async (t) => {
  await using env = await setup();
  const { fake } = env;

  await t.step("prints the completion verbatim, nothing on stderr", async () => {
    assertClean(await env.complete(["--lang", "python"]));
  });

  await t.step("sends the plugins' headers and body", () => {
    const request = fake.requestsTo("/v1/engines/gpt-41-copilot/completions").at(-1)!;
    const h = request.headers;
    assertMatch(h["authorization"]!, /^Bearer tid=/);
    assertEquals(h["content-type"], "application/json");
    assertMatch(
      h["x-request-id"]!,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assertEquals(h["openai-organization"], "github-copilot");
    assertEquals(h["openai-intent"], "copilot-ghost");
    assertMatch(h["editor-version"]!, /^\w+\/[\d.]+$/);
    assertMatch(h["editor-plugin-version"]!, /^[\w.-]+\/[\d.]+$/);
    assertEquals(h["user-agent"], "GithubCopilot/1.539.0");
    assertEquals(fake.stats.identityProblems, []);
    const body = request.body as Record<string, unknown>;
    assertEquals(body.prompt, PROMPT);
    assertEquals(body.suffix, "");
    assertEquals(body.max_tokens, 500);
    assertEquals(body.temperature, 0);
    assertEquals(body.top_p, 1);
    assertEquals(body.n, 1);
    assertEquals(body.stream, true);
    assertEquals(body.stop, ["\ndef ", "\nclass ", "\nif ", "\n\n#"]);
    assertEquals((body.extra as Record<string, unknown>).language, "python");
    assertEquals((body.extra as Record<string, unknown>).trim_by_indentation, true);
    assertEquals(body.code_annotations, false);
  });

  await t.step("a warm run makes no exchange and no request but the completion", async () => {
    const before = fake.stats.requests.length;
    const exchanges = fake.stats.exchanges;
    assertEquals((await env.complete()).code, 0);
    assertEquals(fake.stats.exchanges, exchanges);
    assertEquals(fake.stats.requests.slice(before).map((r) => r.path), [
      "/v1/engines/gpt-41-copilot/completions",
    ]);
  });

  await t.step("cat f.py; copilot complete < f.py rebuilds the file, byte for byte", async () => {
    const text = "(n):\r\n    return n  \t";
    fake.config.completions.text = text;
    const prompt = "def fib";
    const { code, stdout, stderr } = await env.complete([], prompt);
    fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
    assertEquals([code, stderr], [0, ""]);
    // No newline added (stdout is not a terminal), nothing trimmed or normalised.
    assertEquals(prompt + stdout, "def fib(n):\r\n    return n  \t");
  });

  await t.step("--echo prints the prompt first", async () => {
    const { stdout, stderr } = await env.complete(["--echo"]);
    assertEquals(stdout, PROMPT + DEFAULT_COMPLETION_TEXT);
    assertEquals(stderr, "");
  });

  await t.step("--json prints one document with every choice", async () => {
    fake.config.completions.text = ["first\n", "second\n"];
    const { code, stdout } = await env.complete(["--json", "-n", "2"]);
    assertEquals(code, 0);
    assertEquals(JSON.parse(stdout), {
      text: "first\n",
      finish_reason: "stop",
      choices: [
        { index: 0, text: "first\n", finish_reason: "stop" },
        { index: 1, text: "second\n", finish_reason: "stop" },
      ],
      filtered: 0,
      cut: { prefix_tokens: 0, suffix_tokens: 0, prefix_chars: 0, suffix_chars: 0 },
    });
  });

  await t.step("-n 2 prints each suggestion in full with a separator line", async () => {
    fake.config.completions.text = ["    return a", "    return b\n"];
    const { stdout, stderr } = await env.complete(["-n", "2"]);
    assertEquals(stdout, "    return a\n--- suggestion 2 of 2 ---\n    return b\n");
    assertEquals(stderr, "");
    assertEquals(lastCompletionBody(fake).n, 2);
    assertEquals(fake.requestsTo("/v1/engines/").at(-1)!.headers["openai-intent"], "copilot-panel");
    fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
  });

  await t.step("flags reach the body", async () => {
    await env.complete([
      "--line",
      "--max-tokens",
      "64",
      "--temperature",
      "0.5",
      "--top-p",
      "0.9",
      "--suffix",
      "\n  pass\n",
    ]);
    const body = lastCompletionBody(fake);
    assertEquals(body.stop, ["\n"]);
    assertEquals([body.max_tokens, body.temperature, body.top_p], [64, 0.5, 0.9]);
    assertEquals(body.suffix, "\n  pass\n");
    assertEquals((body.extra as Record<string, unknown>).next_indent, 2);
    await env.complete(["--stop", "A", "--stop", "B", "--model", "gpt-4o-copilot"]);
    assertEquals(lastCompletionBody(fake).stop, ["A", "B"]);
    assertEquals(
      fake.requestsTo("/v1/engines/").at(-1)!.path,
      "/v1/engines/gpt-4o-copilot/completions",
    );
  });

  await t.step("--file reads the prompt and guesses the language; --suffix-file", async () => {
    const file = `${env.box.home}/fib.py`;
    const suffixFile = `${env.box.home}/rest.py`;
    await Deno.writeTextFile(file, PROMPT);
    await Deno.writeTextFile(suffixFile, "\nprint(fib(10))\n");
    const { code } = await env.complete(["--file", file, "--suffix-file", suffixFile], "");
    assertEquals(code, 0);
    const body = lastCompletionBody(fake);
    assertEquals(body.prompt, `# Path: ${file}\n${PROMPT}`);
    assertEquals(body.suffix, "\nprint(fib(10))\n");
    assertEquals((body.extra as Record<string, unknown>).language, "python");
  });

  await t.step("a BOM and invalid UTF-8 on stdin do not crash it", async () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...new TextEncoder().encode("x = '"),
      0xff,
      0x27,
      10,
    ]);
    const { code } = await env.complete([], bytes);
    assertEquals(code, 0);
    assertEquals(lastCompletionBody(fake).prompt, "x = '\ufffd'\n");
  });

  await t.step("an unknown model is reported with a hint", async () => {
    const { code, stderr } = await env.complete(["--model", "nope"]);
    assertEquals(code, 1);
    assertMatch(stderr, /^copilot: unknown model nope \(try --model\)/);
  });
});

Deno.test("complete: SSE as the wire really brings it", async (t) => {
  await using env = await setup();
  const cases: [string, DeepPartial<FakeConfig["completions"]>][] = [
    ["CRLF", { lineEnding: "\r\n" }],
    ["CR only", { lineEnding: "\r" }],
    ["splits inside UTF-8 characters and between CR and LF", {
      lineEnding: "\r\n",
      splitAtHazards: true,
    }],
    ["one byte a read", { splitEvery: 1 }],
    ["comments, data: without a space, multi-line data", {
      comments: true,
      noSpace: true,
      multiLineData: true,
    }],
    ["empty and absent text, events without choices", { emptyText: true, references: true }],
  ];
  for (const [name, wire] of cases) {
    await t.step(name, async () => {
      Object.assign(env.fake.config.completions, wire);
      assertClean(await env.complete());
      Object.assign(env.fake.config.completions, {
        lineEnding: "\n",
        splitAtHazards: false,
        splitEvery: 0,
        comments: false,
        noSpace: false,
        multiLineData: false,
        emptyText: false,
        references: false,
      });
    });
  }
});

Deno.test("complete: streams, it does not buffer", async () => {
  await using env = await setup({ completions: { hold: 1 } });
  const { child, reader } = await spawnWithPrompt(env.box.env, ["complete", "--timeout", "5"]);
  // The fake holds the stream after its first event: that event must already be on stdout.
  const first = await readUntil(reader, (text) => text.length > 0);
  assert(DEFAULT_COMPLETION_TEXT.startsWith(first) && first.length > 0);
  assertEquals(env.fake.stats.completions, 1);
  env.fake.release();
  const rest = await readUntil(reader, () => false);
  reader.releaseLock();
  const { code, stderr } = await child.output();
  assertEquals(first + rest, DEFAULT_COMPLETION_TEXT);
  assertEquals(code, 0);
  assertEquals(new TextDecoder().decode(stderr), "");
});

Deno.test("complete: faults", async (t) => {
  await using env = await setup();
  const { fake } = env;
  const reset = () => Object.assign(fake.config.completions, { dropAfter: null, noDone: false });

  await t.step("a 401 refreshes the session token once: exactly one more exchange", async () => {
    assertEquals((await env.complete()).code, 0);
    const exchanges = fake.stats.exchanges;
    fake.expireSessionTokens();
    assertClean(await env.complete());
    assertEquals(fake.stats.exchanges, exchanges + 1);
  });

  await t.step("a 502 and a short 429 are retried", async () => {
    const before = fake.stats.completions;
    fake.failNext({ status: 502 }, { status: 429, retryAfter: 1 });
    const started = performance.now();
    assertClean(await env.complete());
    assertEquals(fake.stats.completions, before + 3);
    assert(performance.now() - started >= 1000, "the 1 s Retry-After was not waited out");
  });

  await t.step("a connection reset before the first byte is retried", async () => {
    const before = fake.stats.completions;
    fake.failNext({ status: 200, reset: true });
    assertClean(await env.complete());
    assertEquals(fake.stats.completions, before + 2);
  });

  await t.step("three resets before the first byte fail with one line", async () => {
    const before = fake.stats.completions;
    fake.failNext(...Array(3).fill({ status: 200, reset: true }));
    const { code, stdout, stderr } = await env.complete();
    assertEquals([code, stdout], [1, ""]);
    assertMatch(stderr, /^copilot: 127\.0\.0\.1:\d+ closed the connection before answering\n$/);
    assertEquals(fake.stats.completions, before + 3);
  });

  await t.step("a long 429 says when to try again, exit 5", async () => {
    fake.failNext({ status: 429, retryAfter: 120 });
    const { code, stdout, stderr } = await env.complete();
    assertEquals(code, 5);
    assertEquals(stdout, "");
    assertEquals(stderr, "copilot: Copilot rate limit reached; try again in 120 s\n");
  });

  await t.step("persistent 500s fail with one line after 3 attempts", async () => {
    const before = fake.stats.completions;
    fake.failNext({ status: 500, body: "upstream exploded" }, {
      status: 500,
      body: "upstream exploded",
    }, {
      status: 500,
      body: "upstream exploded",
    });
    const { code, stdout, stderr } = await env.complete();
    assertEquals(code, 1);
    assertEquals(stdout, "");
    assertEquals(stderr, "copilot: Copilot answered 500: upstream exploded\n");
    assertEquals(fake.stats.completions, before + 3);
  });

  await t.step("400, 402 and 466 are reported, not retried", async () => {
    for (
      const [status, exitCode, pattern] of [
        [400, 1, /^copilot: Copilot answered 400/],
        [402, 5, /^copilot: Copilot quota exhausted/],
        [
          466,
          1,
          /^copilot: Copilot no longer supports this client .*COPILOT_CLIENT \(vim, vscode\).*COPILOT_EDITOR_VERSION, COPILOT_EDITOR_PLUGIN_VERSION, COPILOT_USER_AGENT, COPILOT_INTEGRATION_ID, COPILOT_GITHUB_API_VERSION, COPILOT_API_VERSION/,
        ],
      ] as const
    ) {
      const before = fake.stats.completions;
      fake.failNext({ status });
      const { code, stderr } = await env.complete();
      assertEquals(code, exitCode, stderr);
      assertMatch(stderr, pattern);
      assertEquals(stderr.trim().split("\n").length, 1);
      assertEquals(fake.stats.completions, before + 1);
    }
  });

  await t.step("a stream cut mid-way keeps the text and says so", async () => {
    fake.config.completions.dropAfter = 2;
    const { code, stdout, stderr } = await env.complete();
    assertEquals(code, 1);
    assert(stdout.length > 0 && DEFAULT_COMPLETION_TEXT.startsWith(stdout));
    assertMatch(stderr, /^copilot: completion cut off/);
    assertEquals(stderr.trim().split("\n").length, 1);
    reset();
  });

  await t.step("a stream without [DONE] whose choices all finished is complete", async () => {
    fake.config.completions.noDone = true;
    const { code, stdout } = await env.complete();
    assertEquals({ code, stdout }, { code: 0, stdout: DEFAULT_COMPLETION_TEXT });
    reset();
  });

  await t.step("an error event and a trailing JSON error are reported", async () => {
    fake.config.completions.errorEvent = "model overloaded";
    let result = await env.complete();
    assertEquals(result.code, 1);
    assertMatch(result.stderr, /model overloaded/);
    fake.config.completions.errorEvent = null;
    fake.config.completions.trailingError = "quota gone";
    result = await env.complete();
    assertEquals(result.code, 1);
    assertMatch(result.stderr, /quota gone/);
    fake.config.completions.trailingError = null;
  });

  await t.step("content_filter drops the suggestion and says so", async () => {
    fake.config.completions.finishReason = "content_filter";
    const { code, stderr } = await env.complete();
    assertEquals(code, 1);
    assertMatch(stderr, /content filter/);
    fake.config.completions.finishReason = "stop";
  });

  await t.step("a stall mid-stream hits --timeout: text kept, cut off, exit 124", async () => {
    fake.config.completions.gapMs = 3000;
    const started = performance.now();
    const { code, stdout, stderr } = await env.complete(["--timeout", "0.5"]);
    fake.config.completions.gapMs = 0;
    assertEquals(code, 124);
    assert(stdout.length > 0 && DEFAULT_COMPLETION_TEXT.startsWith(stdout), stdout);
    assertMatch(stderr, /^copilot: completion cut off: no data from .* for 0\.5 s\n$/);
    assert(performance.now() - started < 2500);
  });

  await t.step("no byte within --timeout aborts with a message", async () => {
    fake.config.completions.firstByteDelayMs = 5000;
    const started = performance.now();
    const { code, stderr } = await env.complete(["--timeout", "0.5"]);
    assertEquals(code, 124);
    assertMatch(stderr, /^copilot: .*0\.5 s/);
    assert(performance.now() - started < 4000);
    fake.config.completions.firstByteDelayMs = 0;
  });
});

Deno.test("complete: the user never waits on nothing", async (t) => {
  await t.step("not logged in: exit 4, no request at all", async () => {
    await using fake = await startFake();
    await using box = await sandbox(fake);
    const { code, stdout, stderr } = await runCli(["complete"], { env: box.env, stdin: PROMPT });
    assertEquals(code, 4);
    assertEquals(stdout, "");
    assertStringIncludes(stderr, "run `copilot login`");
    assertEquals(fake.stats.requests.length, 0);
  });

  await t.step("an empty prompt: exit 2, no request", async () => {
    await using env = await setup();
    for (const stdin of ["", " \n\n"]) {
      const { code, stderr } = await env.complete([], stdin);
      assertEquals(code, 2);
      assertEquals(stderr, "copilot: empty prompt: nothing to complete\n");
    }
    assertEquals(env.fake.stats.requests.length, 0);
  });

  await t.step("Ctrl-C aborts the request and exits 130", async () => {
    if (Deno.build.os === "windows") return;
    await using env = await setup({ completions: { hold: 1 } });
    const { child, reader } = await spawnWithPrompt(env.box.env, ["complete"]);
    await readUntil(reader, (text) => text.length > 0);
    child.kill("SIGINT");
    reader.releaseLock();
    const { code } = await child.output();
    assertEquals(code, 130);
    env.fake.release();
    await waitFor(() => env.fake.stats.abortedStreams === 1);
  });

  await t.step("a closed stdout (| head -c 10) ends quietly", async () => {
    await using env = await setup({ completions: { hold: 1 } });
    const { child, reader } = await spawnWithPrompt(env.box.env, ["complete"]);
    await readUntil(reader, (text) => text.length >= 1);
    await reader.cancel();
    env.fake.release();
    const [{ code }, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    assertEquals(stderr, "");
    assertEquals(code, 0);
  });

  await t.step("--dry-run sends nothing and prints no token", async () => {
    await using env = await setup();
    assertEquals((await env.complete()).code, 0); // a cached session exists now
    const before = env.fake.stats.requests.length;
    const { code, stdout, stderr } = await env.complete(["--dry-run", "--lang", "python"]);
    assertEquals(code, 0);
    assertEquals(stderr, "");
    assertEquals(env.fake.stats.requests.length, before);
    assertStringIncludes(stdout, `POST ${env.fake.url}/v1/engines/gpt-41-copilot/completions`);
    assertStringIncludes(stdout, "Authorization: Bearer [REDACTED]");
    assertStringIncludes(stdout, '"language": "python"');
  });
});

/** Polls `predicate` every 20 ms for up to 5 s. */
async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
  assert(predicate(), "condition not met within 5 s");
}

Deno.test("complete: identity overrides and COPILOT_PROXY_URL reach the wire", async (t) => {
  await t.step("every identity variable replaces its header, exchange and completion", async () => {
    // The user's values may be anything: the fake's identity check is off.
    await using env = await setup({ identity: { expect: "off" } });
    Object.assign(env.box.env, {
      COPILOT_EDITOR_VERSION: "Neovim/0.11.0",
      COPILOT_EDITOR_PLUGIN_VERSION: "copilot.vim/1.50.0",
      COPILOT_USER_AGENT: "GithubCopilot/1.400.0",
      COPILOT_GITHUB_API_VERSION: "2026-01-01",
      COPILOT_API_VERSION: "2026-02-02",
    });
    assertEquals((await env.complete()).code, 0);
    const exchange = env.fake.requestsTo("/copilot_internal/v2/token").at(-1)!.headers;
    const completion = env.fake.requestsTo("/v1/engines/").at(-1)!.headers;
    for (const headers of [exchange, completion]) {
      assertEquals(headers["editor-version"], "Neovim/0.11.0");
      assertEquals(headers["editor-plugin-version"], "copilot.vim/1.50.0");
      assertEquals(headers["user-agent"], "GithubCopilot/1.400.0");
    }
    assertEquals(exchange["x-github-api-version"], "2026-01-01");
    assertEquals(completion["x-github-api-version"], "2026-02-02");
  });

  await t.step("COPILOT_PROXY_URL wins over the token's endpoints.proxy", async () => {
    // The token points completions at a port nobody listens on.
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const deadUrl = `http://127.0.0.1:${closed.addr.port}`;
    closed.close();
    await using env = await setup({ exchange: { endpoints: { proxy: deadUrl } } });
    const failed = await env.complete();
    assertEquals(failed.code, 1);
    assertStringIncludes(failed.stderr, `cannot reach 127.0.0.1:${closed.addr.port}`);
    env.box.env.COPILOT_PROXY_URL = env.fake.url;
    assertClean(await env.complete());
  });
});
