/** Unit tests of `copilot models`'s command line: --json, misuse, help. */

import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { HELP } from "../cli/flags.ts";
import { MODELS_HELP, parseModelsArgs } from "./models_args.ts";
import { parseCommand } from "./mod.ts";

Deno.test("models: --json, --help, and the dispatcher knows the command", () => {
  assertEquals(parseModelsArgs([]), { json: false });
  assertEquals(parseModelsArgs(["--json"]), { json: true });
  assertEquals(parseModelsArgs(["-h"]), HELP);
  assertEquals(MODELS_HELP.startsWith("Usage: copilot models"), true);
  assertEquals(parseCommand(["models", "--json"]), { command: "models", options: { json: true } });
  assertEquals(parseCommand(["help", "models"]), { command: "help", topic: "models" });
});

Deno.test("models: an unknown option is misuse", () => {
  const err = assertThrows(() => parseModelsArgs(["--all"]), CopilotError);
  assertEquals(err.exitCode, ExitCode.Usage);
});
