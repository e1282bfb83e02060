/** Unit tests of `copilot status`'s command line: --json, misuse, help. */

import { assertEquals } from "@std/assert";
import { HELP } from "../cli/flags.ts";
import { usageAsserter } from "./_usage_assert.ts";
import { parseStatusArgs, STATUS_HELP } from "./status_args.ts";

Deno.test("status: no arguments, or --help / -h", () => {
  assertEquals(parseStatusArgs([]), { json: false });
  assertEquals(parseStatusArgs(["--json"]), { json: true });
  assertEquals(parseStatusArgs(["--help"]), HELP);
  assertEquals(parseStatusArgs(["-h"]), HELP);
  assertEquals(STATUS_HELP.startsWith("Usage: copilot status [--json]\n"), true);
});

Deno.test("status: any option or argument is misuse", () => {
  for (
    const [argv, message] of [
      [["--bogus"], "unknown option --bogus for status"],
      [["--all=yes"], "unknown option --all for status"],
      [["extra"], "unexpected argument 'extra' for status"],
    ] as const
  ) {
    usageAsserter(parseStatusArgs, "status")([...argv], message);
  }
});
