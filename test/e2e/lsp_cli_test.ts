/**
 * `copilot lsp`'s command line: its help (three ways), the main help's line,
 * misuse, and an editor that goes away without `shutdown`.
 */

import { assertEquals, assertStringIncludes } from "@std/assert";
import { runCli, sandbox } from "../fixtures/spawn_cli.ts";
import { LSP_HELP } from "../../lib/commands/lsp_args.ts";
import { MAIN_HELP } from "../../lib/commands/mod.ts";

Deno.test("lsp --help, -h and help lsp print its help; the main help lists it", async () => {
  await using box = await sandbox();
  for (const args of [["lsp", "--help"], ["lsp", "-h"], ["help", "lsp"]]) {
    const result = await runCli(args, { env: box.env });
    assertEquals({ code: result.code, stdout: result.stdout, stderr: result.stderr }, {
      code: 0,
      stdout: LSP_HELP,
      stderr: "",
    });
  }
  assertStringIncludes(MAIN_HELP, "  lsp        Run a language server");
});

Deno.test("lsp with a bad option: exit 2 and a hint", async () => {
  await using box = await sandbox();
  const result = await runCli(["lsp", "--debounce", "soon"], { env: box.env });
  assertEquals(result.code, 2);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "--debounce takes a whole number");
  assertStringIncludes(result.stderr, "copilot lsp --help");
});

Deno.test("lsp: the end of input without shutdown exits 1, with nothing on stdout", async () => {
  await using box = await sandbox();
  const result = await runCli(["lsp"], { env: box.env, stdin: "" });
  assertEquals({ code: result.code, stdout: result.stdout, stderr: result.stderr }, {
    code: 1,
    stdout: "",
    stderr: "",
  });
});
