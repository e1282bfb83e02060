/** Tests of `copilot lsp`'s command line. */

import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError } from "../base/errors.ts";
import { parseLspArgs } from "./lsp_args.ts";

Deno.test("parseLspArgs: flags, --stdio accepted, bad values are usage errors", () => {
  assertEquals(parseLspArgs([]), { help: false, manual: false });
  assertEquals(parseLspArgs(["--stdio", "--manual", "--debounce", "0"]), {
    help: false,
    manual: true,
    debounceMs: 0,
  });
  assertEquals(parseLspArgs(["--debounce=120"]).debounceMs, 120);
  assertEquals(parseLspArgs(["-h"]).help, true);
  for (
    const bad of [["--debounce"], ["--debounce", "x"], ["--debounce", "-1"], ["--nope"], ["file"]]
  ) {
    const err = assertThrows(() => parseLspArgs(bad), CopilotError);
    assertEquals(err.exitCode, 2);
  }
});
