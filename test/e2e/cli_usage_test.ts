/**
 * The command line itself: help, version, misuse. Runs the real CLI.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { COMMAND_HELP, MAIN_HELP } from "../../lib/commands/mod.ts";
import { runCli, type RunResult, sandbox, V8_FLAGS } from "../fixtures/spawn_cli.ts";

function assertNoSecrets(result: RunResult): void {
  for (const text of [result.stdout, result.stderr]) {
    assert(!/gh[oupr]_|github_pat_|tid=/.test(text), `a token leaked:\n${text}`);
  }
}

async function run(...args: string[]): Promise<RunResult> {
  await using sb = await sandbox();
  const result = await runCli(args, { env: sb.env });
  assertNoSecrets(result);
  return result;
}

/** Misuse: exit 2, one line on stderr naming the culprit with a hint, nothing on stdout. */
function assertUsage(result: RunResult, culprit: string, hint: string): void {
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  const lines = result.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, result.stderr);
  assertStringIncludes(lines[0]!, culprit);
  assertStringIncludes(lines[0]!, hint);
  assert(!result.stderr.includes("    at "), "no stack trace");
}

Deno.test("--help and no arguments print the main help on stdout", async () => {
  for (const args of [["--help"], ["-h"], []]) {
    const result = await run(...args);
    assertEquals(result.code, 0);
    assertEquals(result.stdout, MAIN_HELP);
    assertEquals(result.stderr, "");
  }
  assertStringIncludes(MAIN_HELP, "Usage: copilot COMMAND");
});

Deno.test("COMMAND --help, -h and help COMMAND print that command's help", async () => {
  for (const command of ["login", "logout", "status", "complete", "serve"]) {
    for (const args of [[command, "--help"], [command, "-h"], ["help", command]]) {
      const result = await run(...args);
      assertEquals(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      assertEquals(result.stdout, COMMAND_HELP[command]);
    }
    // Every command documents the exit codes, the same ones as README.md.
    for (const line of ["0    success", "2    misuse", "4    not logged in", "130  interrupted"]) {
      assertStringIncludes(COMMAND_HELP[command]!, line);
    }
  }
  assertStringIncludes(COMMAND_HELP.login!, "--no-browser");
  assertStringIncludes(COMMAND_HELP.login!, "--host HOST");
});

Deno.test("--version prints the version from deno.json", async () => {
  const { default: meta } = await import("../../deno.json", { with: { type: "json" } });
  for (const flag of ["--version", "-V"]) {
    const result = await run(flag);
    assertEquals(result.code, 0);
    assertEquals(result.stdout, `copilot ${meta.version}\n`);
    assertMatch(meta.version, /^\d+\.\d+\.\d+/);
  }
});

Deno.test("every task that builds the binary bakes in the heap settings the tests run with", async () => {
  const { default: meta } = await import("../../deno.json", { with: { type: "json" } });
  const builds = [
    meta.tasks.compile,
    ...meta.tasks["compile:all"].split(" && "),
    meta.tasks.install,
  ];
  assertEquals(builds.length, 7);
  // V8_FLAGS is read from the compile task: it must be there, and the same everywhere.
  assertEquals(V8_FLAGS, "--max-semi-space-size=8,--heap-growing-percent=30");
  for (const build of builds) assertStringIncludes(build, ` --v8-flags=${V8_FLAGS} `);
});

Deno.test("an unknown command: exit 2, one line naming it", async () => {
  assertUsage(await run("frobnicate"), "unknown command 'frobnicate'", "copilot --help");
});

Deno.test("an unknown top-level option: exit 2, one line naming it", async () => {
  assertUsage(await run("--frobnicate"), "unknown option --frobnicate", "copilot --help");
});

Deno.test("an unknown option of a command: exit 2, one line naming it", async () => {
  assertUsage(
    await run("status", "--bogus"),
    "unknown option --bogus for status",
    "copilot status --help",
  );
  assertUsage(
    await run("login", "--nobrowser"),
    "unknown option --nobrowser for login",
    "copilot login --help",
  );
  assertUsage(
    await run("logout", "--all=yes"),
    "unknown option --all for logout",
    "copilot logout --help",
  );
});

Deno.test("an unexpected argument: exit 2, one line naming it", async () => {
  assertUsage(
    await run("status", "extra"),
    "unexpected argument 'extra' for status",
    "copilot status --help",
  );
});

Deno.test("a value flag without its value: exit 2, one line naming the flag", async () => {
  await using sb = await sandbox();
  for (const args of [["complete", "--lang"], ["complete", "-l", "--line"]]) {
    // A prompt on stdin: the run must stop at the flag, not at an empty prompt.
    const result = await runCli(args, { env: sb.env, stdin: "def fib(n):" });
    assertNoSecrets(result);
    assertUsage(result, "--lang needs a value", "copilot complete --help");
  }
  assertUsage(await run("serve", "--host"), "--host needs a value", "copilot serve --help");
});

Deno.test("a bad port: exit 2, naming PORT as the usage line writes it", async () => {
  const result = await run("serve", "99999");
  assertUsage(
    result,
    "PORT takes a whole number from 0 to 65535, not '99999'",
    "copilot serve --help",
  );
  assert(!result.stderr.includes("--port"), "the port is positional, not a flag");
});

Deno.test("help output goes to stdout only; errors to stderr only", async () => {
  const ok = await run("status", "--help");
  assertEquals(ok.stderr, "");
  const bad = await run("nope");
  assertEquals(bad.stdout, "");
  assertMatch(bad.stderr, /^copilot: /);
});

Deno.test("deno task demo: login, status and a streamed completion, offline", async () => {
  const demo = new URL("../fixtures/demo.ts", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-q", "-P=test", demo.href],
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  const [out, err] = [new TextDecoder().decode(stdout), new TextDecoder().decode(stderr)];
  assertEquals(code, 0, err);
  assertStringIncludes(err, "Logged in as octocat");
  // The fake approves the code by itself: the demo says so instead of asking to open a page.
  assert(!err.includes("Then open"), err);
  assertStringIncludes(err, "the fake GitHub approves it by itself");
  assertStringIncludes(out, "return fib(n - 1) + fib(n - 2)");
  assertStringIncludes(out, "1 token exchange(s) and 1 completion(s)");
});
