/**
 * End to end: `copilot claude` and `copilot codex` start a private serve and run the agent
 * found on PATH with everything set. Stand-in agents (shell scripts) show what they were
 * given, call serve the way the real agents do (with the key and base URL they were handed)
 * and exit with a status of their own, which `copilot` must pass through. The real agents run
 * in `deno task test:agents` (scripts/agents_e2e.ts).
 */

import { assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli, sandbox, spawnCli } from "../fixtures/spawn_cli.ts";
import { DEFAULT_AGENT_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";

const GITHUB_TOKEN = `ghu_${"AgentCmdToken".padEnd(36, "0")}`;

/** Calls serve as Claude Code does (Bearer auth token, the model it was given). */
const CLAUDE_CALL = `
const env = (name) => Deno.env.get(name) ?? "";
const res = await fetch(env("ANTHROPIC_BASE_URL") + "/v1/messages", {
  method: "POST",
  headers: { authorization: "Bearer " + env("ANTHROPIC_AUTH_TOKEN"), "content-type": "application/json" },
  body: JSON.stringify({ model: env("ANTHROPIC_MODEL"), max_tokens: 50, messages: [{ role: "user", content: "hi" }] }),
});
const body = await res.json();
console.log("answer=" + (body.content?.at(-1)?.text ?? JSON.stringify(body)));
Deno.exit(7);
`;

/** Calls serve as Codex does (the provider's base URL from its -c flags, env_key's key). */
const CODEX_CALL = `
const base = /base_url="([^"]+)"/.exec(Deno.env.get("AGENT_ARGS") ?? "")?.[1];
const model = /(?:^| )model="([^"]+)"/.exec(Deno.env.get("AGENT_ARGS") ?? "")?.[1];
const res = await fetch(base + "/responses", {
  method: "POST",
  headers: { authorization: "Bearer " + Deno.env.get("COPILOT_SERVE_KEY"), "content-type": "application/json" },
  body: JSON.stringify({ model, input: "hi" }),
});
const body = await res.json();
console.log("answer=" + (body.output?.at(-1)?.content?.[0]?.text ?? JSON.stringify(body)));
Deno.exit(3);
`;

/** A stand-in agent: prints its arguments, runs the `show` shell line, then `code` in Deno. */
async function writeAgent(dir: string, name: string, code: string, show: string): Promise<void> {
  const script = `#!/bin/sh
printf 'args=%s\\n' "$*"
${show}
AGENT_ARGS="$*" exec deno eval --quiet '${code.replaceAll("'", `'"'"'`)}'
`;
  await Deno.writeTextFile(`${dir}/${name}`, script, { mode: 0o755 });
}

Deno.test("copilot claude and copilot codex run the agent against a private serve", async (t) => {
  await using fake = await startFake();
  fake.addGitHubToken(GITHUB_TOKEN, "octocat");
  await using box = await sandbox(fake);
  const bin = `${box.home}/bin`;
  await Deno.mkdir(bin);
  await writeAgent(
    bin,
    "claude",
    CLAUDE_CALL,
    `echo "base=$ANTHROPIC_BASE_URL model=$ANTHROPIC_MODEL small=$ANTHROPIC_SMALL_FAST_MODEL` +
      ` api_key=\${ANTHROPIC_API_KEY-unset} traffic=$CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"`,
  );
  await writeAgent(bin, "codex", CODEX_CALL, 'echo "key=${#COPILOT_SERVE_KEY}"');
  const env = {
    ...box.env,
    COPILOT_GITHUB_TOKEN: GITHUB_TOKEN,
    PATH: `${bin}:${box.env.PATH}`,
    ANTHROPIC_API_KEY: "sk-ant-would-send-requests-elsewhere",
  };

  await t.step("claude: env set, API key unset, arguments and exit status passed", async () => {
    const run = await runCli(["claude", "-p", "it's a test"], { env });
    assertEquals(run.code, 7, run.stderr);
    assertStringIncludes(run.stdout, "args=-p it's a test\n");
    assertMatch(
      run.stdout,
      /base=http:\/\/127\.0\.0\.1:\d+ model=claude-\S+ small=claude-haiku-4\.5 api_key=unset traffic=1\n/,
    );
    assertStringIncludes(run.stdout, `answer=${DEFAULT_AGENT_TEXT}\n`);
    assertEquals(fake.requestsTo("/v1/messages").length, 1);
  });

  await t.step("codex: a provider in -c flags, the key in env_key's variable", async () => {
    const run = await runCli(["agent", "codex", "exec", "fix it"], { env });
    assertEquals(run.code, 3, run.stderr);
    assertMatch(
      run.stdout,
      /model_providers\.copilot-serve\.base_url="http:\/\/127\.0\.0\.1:\d+\/v1"/,
    );
    assertStringIncludes(run.stdout, " exec fix it\n");
    assertStringIncludes(run.stdout, "key=32\n");
    assertStringIncludes(run.stdout, `answer=${DEFAULT_AGENT_TEXT}\n`);
  });

  await t.step("an agent that is not installed: 127 and a hint", async () => {
    const run = await runCli(["claude"], { env: { ...env, PATH: "/nonexistent" } });
    assertEquals(run.code, 127);
    assertStringIncludes(run.stderr, "could not run claude; is it installed");
  });

  await t.step("serve --print-env claude prints the exports, the key as a reference", async () => {
    const child = spawnCli(["serve", "0", "--print-env", "claude", "--quiet"], {
      env: { ...env, COPILOT_SERVE_KEY: "serve-key-not-to-print" },
    });
    const stderr = child.stderr.cancel();
    let out = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      out += decoder.decode(chunk, { stream: true });
      if (out.includes("DISABLE_TELEMETRY")) break;
    }
    child.kill("SIGTERM");
    await child.status;
    await stderr;
    assertMatch(out, /^export ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    assertStringIncludes(out, 'export ANTHROPIC_AUTH_TOKEN="$COPILOT_SERVE_KEY"\n');
    assertStringIncludes(out, "unset ANTHROPIC_API_KEY\n");
    assertEquals(out.includes("serve-key-not-to-print"), false);
  });
});
