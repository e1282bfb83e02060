/**
 * `deno task test:agents`: the real Claude Code and Codex CLI, run through `copilot claude`
 * and `copilot codex` (a private serve) against the project's fake Copilot, each through one
 * tool loop, with zero traffic beyond loopback. Not part of `deno task test`: the two agents
 * are ~700 MB of npm packages, installed once (versions pinned) into
 * `~/.cache/copilot-agents` (or `COPILOT_AGENTS_CACHE`), never into the repository.
 *
 * Every agent process gets `HTTPS_PROXY`/`HTTP_PROXY` pointing at a loopback listener that
 * records and refuses whatever connects (`NO_PROXY` covers 127.0.0.1 only), so a request
 * beyond loopback fails and is counted; the run fails unless the count is zero.
 *
 * @module
 */

import { DEFAULT_AGENT_TEXT, startFake } from "../test/fixtures/fake_upstream/mod.ts";
import { runCli, sandbox } from "../test/fixtures/spawn_cli.ts";

/** The agents' npm packages, pinned (node 20 would otherwise resolve an old Claude Code). */
export const PACKAGES = ["@anthropic-ai/claude-code@2.1.332", "@openai/codex@0.171.0"];
const GITHUB_TOKEN = `ghu_${"AgentsE2eToken".padEnd(36, "0")}`;
const MARK = "hello_from_tool";
/** The fake's answer as raw text or inside a JSON string (the agents print JSON). */
const ANSWERS = [DEFAULT_AGENT_TEXT, JSON.stringify(DEFAULT_AGENT_TEXT).slice(1, -1)];
const answered = (out: string) => ANSWERS.some((answer) => out.includes(answer));

/** The cache dir with both agents installed (installed now if a version is missing). */
async function installAgents(): Promise<string> {
  const dir = Deno.env.get("COPILOT_AGENTS_CACHE") ??
    `${Deno.env.get("HOME")}/.cache/copilot-agents`;
  const versions = await Promise.all(["claude", "codex"].map(async (bin) => {
    const out = await new Deno.Command(`${dir}/node_modules/.bin/${bin}`, { args: ["--version"] })
      .output().catch(() => undefined);
    return out?.success ? new TextDecoder().decode(out.stdout).trim() : "";
  }));
  const wanted = PACKAGES.map((spec) => spec.slice(spec.lastIndexOf("@") + 1));
  if (versions.every((version, i) => version.includes(wanted[i]!))) {
    console.log(`agents cached in ${dir}: ${versions.join(", ")}`);
    return dir;
  }
  console.log(`installing ${PACKAGES.join(" ")} into ${dir} ...`);
  await Deno.mkdir(dir, { recursive: true });
  const npm = await new Deno.Command("npm", {
    args: ["install", "--prefix", dir, "--no-audit", "--no-fund", ...PACKAGES],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!npm.success) throw new Error("npm install failed");
  return dir;
}

/** A loopback "proxy" that records the first line of each connection and closes it. */
function refusingProxy(): { url: string; seen: string[]; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen: string[] = [];
  (async () => {
    for await (const conn of listener) {
      const buffer = new Uint8Array(512);
      const n = await conn.read(buffer).catch(() => null);
      seen.push(new TextDecoder().decode(buffer.subarray(0, n ?? 0)).split("\r\n")[0] ?? "");
      conn.close();
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${listener.addr.port}`,
    seen,
    close: () => listener.close(),
  };
}

function check(ok: boolean, what: string, failures: string[]): void {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
}

/** Runs both agents; resolves with the failed checks. */
async function main(): Promise<string[]> {
  const dir = await installAgents();
  await using fake = await startFake();
  fake.addGitHubToken(GITHUB_TOKEN, "octocat");
  await using box = await sandbox(fake);
  const proxy = refusingProxy();
  const work = await Deno.makeTempDir({ prefix: "copilot-agents-work-" });
  const env = {
    ...box.env,
    COPILOT_GITHUB_TOKEN: GITHUB_TOKEN,
    PATH: `${dir}/node_modules/.bin:/usr/bin:/bin`,
    TERM: "dumb",
    HTTPS_PROXY: proxy.url,
    HTTP_PROXY: proxy.url,
    https_proxy: proxy.url,
    http_proxy: proxy.url,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
  const failures: string[] = [];
  try {
    console.log(`\n$ copilot claude -p ... --tools Bash (Claude Code ${PACKAGES[0]})`);
    fake.config.agents.toolInput = { command: `echo ${MARK}`, description: "Print a mark" };
    const claude = await runCli([
      "claude",
      "-p",
      `Run: echo ${MARK}`,
      "--tools",
      "Bash",
      "--allowedTools",
      "Bash(echo:*)",
      "--output-format",
      "json",
    ], { env, cwd: work });
    const messages = fake.requestsTo("/v1/messages");
    console.log(`  exit ${claude.code}; ${messages.length} POST /v1/messages`);
    if (claude.code !== 0) console.log(claude.stdout, claude.stderr);
    check(claude.code === 0, "claude exits 0", failures);
    check(answered(claude.stdout), "claude prints the model's answer", failures);
    check(messages.length === 2, "two turns: the prompt, then the tool result", failures);
    check(
      messages.map((r) => r.headers["x-initiator"]).join(",") === "user,agent",
      "X-Initiator user, then agent",
      failures,
    );
    check(JSON.stringify(messages.at(-1)?.body).includes(MARK), "the tool ran locally", failures);

    console.log(`\n$ copilot codex exec ... (Codex CLI ${PACKAGES[1]})`);
    fake.config.agents.toolInput = { cmd: `echo ${MARK}` };
    const codex = await runCli([
      "codex",
      "exec",
      "--skip-git-repo-check",
      "--json",
      `Run: echo ${MARK}`,
    ], { env, cwd: work });
    const responses = fake.requestsTo("/responses");
    console.log(`  exit ${codex.code}; ${responses.length} POST /responses`);
    if (codex.code !== 0) console.log(codex.stdout, codex.stderr);
    check(codex.code === 0, "codex exits 0", failures);
    check(answered(codex.stdout), "codex prints the model's answer", failures);
    check(responses.length === 2, "two turns: the prompt, then the tool output", failures);
    check(
      responses.map((r) => r.headers["x-initiator"]).join(",") === "user,agent",
      "X-Initiator user, then agent",
      failures,
    );
    check(JSON.stringify(responses.at(-1)?.body).includes(MARK), "the tool ran locally", failures);

    console.log(`\nconnections beyond loopback (through the refusing proxy): ${proxy.seen.length}`);
    for (const line of proxy.seen) console.log(`  ${line}`);
    check(proxy.seen.length === 0, "zero traffic beyond loopback", failures);
  } finally {
    proxy.close();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
  return failures;
}

if (import.meta.main) {
  const failures = await main();
  console.log(
    failures.length === 0 ? "\nall checks passed" : `\n${failures.length} check(s) failed`,
  );
  Deno.exit(failures.length === 0 ? 0 : 1);
}
