/**
 * Smoke test of a compiled `copilot` binary, run by the release workflow on
 * each target's own runner: the binary completes a prompt against the fake
 * upstream (started in this process) from an isolated HOME, printing the
 * completion on stdout and nothing on stderr.
 *
 * ```sh
 * deno run -A test/smoke_binary.ts dist/copilot-x86_64-unknown-linux-gnu
 * ```
 *
 * @module
 */

import { sandbox } from "./cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "./fake_upstream.ts";

const TOKEN = "ghu_smokeBinaryToken00000000000000000000";
const PROMPT = "def fib(n):\n";
const TIMEOUT_MS = 60_000;

/**
 * Runs `binary complete --lang python` with `def fib(n):` on stdin against a
 * fresh fake; resolves with what went wrong, an empty list when it passed.
 *
 * @example
 * ```ts ignore
 * import { smokeTest } from "./smoke_binary.ts";
 * const problems = await smokeTest("dist/copilot-aarch64-apple-darwin");
 * ```
 */
export async function smokeTest(binary: string): Promise<string[]> {
  await using fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  const env: Record<string, string> = { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN };
  // Windows cannot start Winsock in a process without SystemRoot.
  const systemRoot = Deno.env.get("SystemRoot");
  if (systemRoot !== undefined) env.SystemRoot = systemRoot;

  const child = new Deno.Command(await Deno.realPath(binary), {
    args: ["complete", "--lang", "python"],
    env,
    clearEnv: true,
    cwd: box.home,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).spawn();
  // A binary that exits without reading stdin is judged by its output, not by the broken pipe.
  const fed = ReadableStream.from([new TextEncoder().encode(PROMPT)]).pipeTo(child.stdin)
    .catch(() => {});
  const { code, signal, stdout, stderr } = await child.output();
  await fed;

  const out = new TextDecoder().decode(stdout);
  const err = new TextDecoder().decode(stderr);
  const problems: string[] = [];
  if (code !== 0) problems.push(`exit status ${code}${signal ? ` (${signal})` : ""}`);
  if (!out.includes(DEFAULT_COMPLETION_TEXT)) {
    problems.push(`stdout lacks the fake's completion: ${JSON.stringify(out)}`);
  }
  if (err !== "") problems.push(`stderr is not empty: ${JSON.stringify(err)}`);
  if (fake.stats.completions !== 1) {
    problems.push(`the fake got ${fake.stats.completions} completion requests, not 1`);
  }
  return problems;
}

if (import.meta.main) {
  const [binary, ...rest] = Deno.args;
  if (binary === undefined || rest.length > 0) {
    console.error("usage: deno run -A test/smoke_binary.ts PATH_TO_BINARY");
    Deno.exit(2);
  }
  const problems = await smokeTest(binary);
  for (const problem of problems) console.error(`smoke test failed: ${binary}: ${problem}`);
  if (problems.length > 0) Deno.exit(1);
  console.log(`ok: ${binary} completed against the fake`);
}
