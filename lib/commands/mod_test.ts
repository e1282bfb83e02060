/** Unit tests of the dispatcher: which command, top-level options, delegation, help topics. */

import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { COMMAND_HELP, MAIN_HELP, parseCommand } from "./mod.ts";
import { COMPLETE_HELP } from "./complete_args.ts";

/** Asserts that parsing `args` is misuse (exit 2) with exactly `message`. */
function assertUsage(args: string[], message: string): void {
  const err = assertThrows(() => parseCommand(args), CopilotError, undefined, args.join(" "));
  assertEquals(err.message, message);
  assertEquals(err.exitCode, ExitCode.Usage);
}

Deno.test("parseCommand: no arguments, -h and --help are the main help", () => {
  for (const args of [[], ["-h"], ["--help"], ["help"]]) {
    assertEquals(parseCommand(args), { command: "help" }, args.join(" "));
  }
  assertEquals(MAIN_HELP.startsWith("copilot: GitHub Copilot completions"), true);
});

Deno.test("parseCommand: -V and --version", () => {
  assertEquals(parseCommand(["-V"]), { command: "version" });
  assertEquals(parseCommand(["--version"]), { command: "version" });
});

Deno.test("parseCommand: help TOPIC and COMMAND --help name the topic", () => {
  assertEquals(parseCommand(["help", "serve"]), { command: "help", topic: "serve" });
  const own = ["login", "logout", "status", "models", "complete", "serve", "lsp"];
  for (const command of own) {
    assertEquals(parseCommand([command, "--help"]), { command: "help", topic: command });
  }
  assertEquals(Object.keys(COMMAND_HELP), [...own, "claude", "codex", "agent"]);
  assertEquals(parseCommand(["agent", "--help"]), { command: "help", topic: "agent" });
  assertEquals(COMMAND_HELP.complete, COMPLETE_HELP);
});

Deno.test("parseCommand: each command gets the rest of the arguments, parsed by its module", () => {
  assertEquals(parseCommand(["login", "--no-browser"]), {
    command: "login",
    options: { noBrowser: true },
  });
  assertEquals(parseCommand(["logout"]), { command: "logout" });
  assertEquals(parseCommand(["status"]), { command: "status", options: { json: false } });
  const complete = parseCommand(["complete", "-l", "python"]);
  assertEquals(complete.command === "complete" && complete.options.lang, "python");
  const serve = parseCommand(["serve", "0"]);
  assertEquals(serve.command === "serve" && serve.options.port, 0);
});

Deno.test("parseCommand: an agent's arguments are its own, --help included", () => {
  assertEquals(parseCommand(["claude", "-p", "hi", "--help"]), {
    command: "agent",
    options: { agent: "claude", args: ["-p", "hi", "--help"] },
  });
  assertEquals(parseCommand(["agent", "codex", "exec", "x"]), {
    command: "agent",
    options: { agent: "codex", args: ["exec", "x"] },
  });
  assertUsage(["agent"], "name an agent: claude or codex (see `copilot agent --help`)");
  assertUsage(
    ["agent", "aider"],
    "unknown agent 'aider'; use claude or codex (see `copilot agent --help`)",
  );
});

Deno.test("parseCommand: an unknown command or top-level option is misuse", () => {
  assertUsage(["frobnicate"], "unknown command 'frobnicate' (see `copilot --help`)");
  assertUsage(["help", "frobnicate"], "unknown command 'frobnicate' (see `copilot --help`)");
  assertUsage(["help", "constructor"], "unknown command 'constructor' (see `copilot --help`)");
  assertUsage(["--frobnicate"], "unknown option --frobnicate (see `copilot --help`)");
  assertUsage(
    ["status", "--bogus"],
    "unknown option --bogus for status (see `copilot status --help`)",
  );
});
