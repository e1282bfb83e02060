/**
 * `copilot complete` failing outside an editor: the reason on stderr as
 * always, a non-zero exit, and with `--echo` the prompt written back
 * unchanged, so a filter never loses its input.
 */

import { assertEquals, assertNotEquals, assertStringIncludes } from "@std/assert";
import { runCli, sandbox } from "../fixtures/spawn_cli.ts";
import { startFake } from "../fixtures/fake_upstream/mod.ts";

const TOKEN = "ghu_failTestToken0000000000000000000000";
const PROMPT = "def fib(n):\n\nprint(fib(10))\n";

Deno.test("complete --echo with the upstream down: the prompt back on stdout, why on stderr", async () => {
  const fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  await fake[Symbol.asyncDispose](); // nothing listens at the upstream URLs any more
  const env = { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN };

  const echoed = await runCli(["complete", "--echo"], { env, stdin: PROMPT });
  assertEquals(echoed.stdout, PROMPT);
  assertStringIncludes(echoed.stderr, "copilot: cannot reach");
  assertNotEquals(echoed.code, 0);

  const plain = await runCli(["complete"], { env, stdin: PROMPT });
  assertEquals(plain.stdout, "");
  assertStringIncludes(plain.stderr, "copilot: cannot reach");
  assertNotEquals(plain.code, 0);
});

Deno.test("complete --echo, not logged in: the prompt back, the reason on stderr", async () => {
  await using box = await sandbox();
  const result = await runCli(["complete", "--echo"], { env: box.env, stdin: PROMPT });
  assertEquals(result.stdout, PROMPT);
  assertStringIncludes(result.stderr, "copilot: not logged in");
  assertNotEquals(result.code, 0);
});
