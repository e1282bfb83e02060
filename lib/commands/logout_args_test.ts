/** Unit tests of `copilot logout`'s command line: no options, misuse, help. */

import { assertEquals } from "@std/assert";
import { HELP } from "../cli/flags.ts";
import { usageAsserter } from "./_usage_assert.ts";
import { LOGOUT_HELP, parseLogoutArgs } from "./logout_args.ts";

Deno.test("logout: no arguments, or --help / -h", () => {
  assertEquals(parseLogoutArgs([]), {});
  assertEquals(parseLogoutArgs(["--help"]), HELP);
  assertEquals(parseLogoutArgs(["-h"]), HELP);
  assertEquals(LOGOUT_HELP.startsWith("Usage: copilot logout\n"), true);
});

Deno.test("logout: any option or argument is misuse", () => {
  for (
    const [argv, message] of [
      [["--bogus"], "unknown option --bogus for logout"],
      [["--all=yes"], "unknown option --all for logout"],
      [["extra"], "unexpected argument 'extra' for logout"],
    ] as const
  ) {
    usageAsserter(parseLogoutArgs, "logout")([...argv], message);
  }
});
