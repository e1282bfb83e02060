/** Tests of `copilot lsp`'s command line. */

import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError } from "../base/errors.ts";
import { HELP } from "../cli/flags.ts";
import { parseLspArgs } from "./lsp_args.ts";

Deno.test("parseLspArgs: flags, --stdio accepted, bad values are usage errors", () => {
  assertEquals(parseLspArgs([]), { manual: false });
  assertEquals(parseLspArgs(["--stdio", "--manual", "--debounce", "0"]), {
    manual: true,
    debounceMs: 0,
  });
  assertEquals(parseLspArgs(["--debounce=120"]), { manual: false, debounceMs: 120 });
  assertEquals(parseLspArgs(["-h"]), HELP);
  for (
    const bad of [["--debounce"], ["--debounce", "x"], ["--debounce", "-1"], ["--nope"], ["file"]]
  ) {
    const err = assertThrows(() => parseLspArgs(bad), CopilotError);
    assertEquals(err.exitCode, 2);
  }
});
