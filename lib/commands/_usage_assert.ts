/**
 * Test helper for the `X_args_test.ts` files (imported by tests only): the
 * one check that a command line is misuse.
 *
 * @module
 */

import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";

/**
 * An assertion that `parse(argv)` is misuse of `copilot COMMAND` (exit 2)
 * with exactly `message` before the `--help` hint.
 */
export function usageAsserter(
  parse: (argv: string[]) => unknown,
  command: string,
): (argv: string[], message: string) => void {
  return (argv, message) => {
    const err = assertThrows(() => parse(argv), CopilotError, undefined, argv.join(" "));
    assertEquals(err.message, `${message} (see \`copilot ${command} --help\`)`);
    assertEquals(err.exitCode, ExitCode.Usage);
  };
}
