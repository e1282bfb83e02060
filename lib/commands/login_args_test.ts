/** Unit tests of `copilot login`'s command line: flags, defaults, misuse, help. */

import { assertEquals } from "@std/assert";
import { HELP } from "../cli/flags.ts";
import { usageAsserter } from "./_usage_assert.ts";
import { LOGIN_FLAGS, parseLoginArgs } from "./login_args.ts";

/** Asserts that parsing `argv` is misuse (exit 2) with exactly `message` before the hint. */
const assertUsage = usageAsserter(parseLoginArgs, "login");

Deno.test("login: the defaults, --no-browser and --host", () => {
  assertEquals(parseLoginArgs([]), { noBrowser: false });
  assertEquals(parseLoginArgs(["--no-browser", "--host", "ghe.example"]), {
    noBrowser: true,
    host: "ghe.example",
  });
  assertEquals(parseLoginArgs(["--host=ghe.example"]), { noBrowser: false, host: "ghe.example" });
});

Deno.test("login: --help and -h ask for help", () => {
  assertEquals(parseLoginArgs(["--help"]), HELP);
  assertEquals(parseLoginArgs(["--no-browser", "-h"]), HELP);
});

for (const flag of LOGIN_FLAGS.string!) {
  Deno.test(`login: --${flag} without its value is misuse`, () => {
    assertUsage([`--${flag}`], `--${flag} needs a value`);
    assertUsage([`--${flag}`, "--no-browser"], `--${flag} needs a value`);
  });
}

Deno.test("login: unknown options and arguments are misuse", () => {
  assertUsage(["--nobrowser"], "unknown option --nobrowser for login");
  assertUsage(["octocat"], "unexpected argument 'octocat' for login");
});
