import { assertEquals, assertStringIncludes } from "@std/assert";
import { CopilotError, ExitCode, outcomeOf } from "./errors.ts";

Deno.test("outcomeOf passes a CopilotError's message and exit code through", () => {
  for (const exitCode of Object.values(ExitCode)) {
    assertEquals(outcomeOf(new CopilotError("said", { exitCode })), { message: "said", exitCode });
  }
  assertEquals(outcomeOf(new CopilotError("plain")), { message: "plain", exitCode: 1 });
});

Deno.test("outcomeOf: an abort is silent with 130, a closed stdout is silent with 0", () => {
  assertEquals(outcomeOf(new DOMException("interrupted", "AbortError")), {
    message: undefined,
    exitCode: ExitCode.Interrupted,
  });
  assertEquals(outcomeOf(new Deno.errors.BrokenPipe("closed")), {
    message: undefined,
    exitCode: ExitCode.Ok,
  });
  // A timeout DOMException is not an interrupt.
  assertEquals(outcomeOf(new DOMException("t", "TimeoutError")).exitCode, ExitCode.Failure);
});

Deno.test("outcomeOf names a missing permission", () => {
  assertEquals(outcomeOf(new Deno.errors.NotCapable("Requires env access")), {
    message: "missing permission: Requires env access",
    exitCode: ExitCode.Failure,
  });
});

Deno.test("outcomeOf reports a bug as an internal error, redacted, stack only in debug", () => {
  const bug = new TypeError("bad token ghu_abcdefghijklmnopqrstuvwxyz0123456789");
  const quiet = outcomeOf(bug);
  assertEquals(quiet.exitCode, ExitCode.Failure);
  assertEquals(quiet.message?.startsWith("internal error: bad token "), true);
  assertEquals(quiet.message?.includes("ghu_abcdefghijklmnopqrstuvwxyz0123456789"), false);
  assertEquals(quiet.message?.includes("\n"), false);
  assertStringIncludes(outcomeOf(bug, true).message ?? "", "at ");
  assertEquals(outcomeOf("a string"), { message: "internal error: a string", exitCode: 1 });
});
