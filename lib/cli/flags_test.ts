/** Unit tests of the shared flag toolkit: parseFlags' common checks and numberFlag. */

import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import {
  type FlagSpec,
  HELP,
  listFlag,
  numberFlag,
  parseFlags,
  stringFlag,
  usage,
} from "./flags.ts";

const SPEC: FlagSpec = {
  string: ["name", "tag", "n"],
  boolean: ["quiet"],
  collect: ["tag"],
  alias: { N: "name" },
  positional: 1,
};

/** Asserts that `fn` throws the misuse error (exit 2) with exactly `message`. */
function assertUsage(fn: () => unknown, message: string): void {
  const err = assertThrows(fn, CopilotError);
  assertEquals(err.message, message);
  assertEquals(err.exitCode, ExitCode.Usage);
}

Deno.test("usage: the message with a hint at the command's help, exit 2", () => {
  assertEquals(usage("bad", "serve").message, "bad (see `copilot serve --help`)");
  assertEquals(usage("bad").message, "bad (see `copilot --help`)");
  assertEquals(usage("bad").exitCode, ExitCode.Usage);
});

Deno.test("parseFlags: values, aliases, repeats and positionals", () => {
  const flags = parseFlags(["-N", "x", "--tag", "a", "--tag=b", "--quiet", "pos"], "t", SPEC);
  if (flags === HELP) throw new Error("not help");
  assertEquals(stringFlag(flags, "name"), "x");
  assertEquals(listFlag(flags, "tag"), ["a", "b"]);
  assertEquals(flags.quiet, true);
  assertEquals(flags._, ["pos"]);
  assertEquals(stringFlag(flags, "n"), undefined);
  assertEquals(listFlag(flags, "missing"), []);
});

Deno.test("parseFlags: --help and -h win over everything else", () => {
  for (const argv of [["--help"], ["-h"], ["--name", "--help"], ["a", "b", "-h"]]) {
    assertEquals(parseFlags(argv, "t", SPEC), HELP, argv.join(" "));
  }
});

Deno.test("parseFlags: an unknown option or an argument too many is misuse", () => {
  assertUsage(
    () => parseFlags(["--bogus"], "t", SPEC),
    "unknown option --bogus for t (see `copilot t --help`)",
  );
  assertUsage(
    () => parseFlags(["--all=yes"], "t", SPEC),
    "unknown option --all for t (see `copilot t --help`)",
  );
  assertUsage(
    () => parseFlags(["a", "b"], "t", SPEC),
    "unexpected argument 'b' for t (see `copilot t --help`)",
  );
  assertUsage(
    () => parseFlags(["a"], "t", {}),
    "unexpected argument 'a' for t (see `copilot t --help`)",
  );
});

Deno.test("parseFlags: a value flag without its value is misuse, however it is missing", () => {
  const cases: [string[], string][] = [
    [["--name"], "--name"],
    [["--name", "--quiet"], "--name"],
    [["--name="], "--name"],
    [["-N"], "--name"],
    [["--tag", "a", "--tag"], "--tag"],
    [["-n"], "-n"],
    [["-n", "--quiet"], "-n"],
  ];
  for (const [argv, flag] of cases) {
    assertUsage(
      () => parseFlags(argv, "t", SPEC),
      `${flag} needs a value (see \`copilot t --help\`)`,
    );
  }
});

Deno.test("numberFlag: in range, or misuse naming the flag as given", () => {
  assertEquals(numberFlag(undefined, "-n", "t", { min: 1, max: 10, integer: true }), undefined);
  assertEquals(numberFlag("3", "-n", "t", { min: 1, max: 10, integer: true }), 3);
  assertEquals(numberFlag("0.5", "--top-p", "t", { min: 0, max: 1 }), 0.5);
  for (const raw of ["0", "11", "1.5", "x", " ", "Infinity"]) {
    assertUsage(
      () => numberFlag(raw, "-n", "t", { min: 1, max: 10, integer: true }),
      `-n takes a whole number from 1 to 10, not '${raw}' (see \`copilot t --help\`)`,
    );
  }
  assertUsage(
    () => numberFlag("2.5", "--temperature", "t", { min: 0, max: 2 }),
    "--temperature takes a number from 0 to 2, not '2.5' (see `copilot t --help`)",
  );
  assertUsage(
    () => numberFlag(5, "PORT", "t", { min: 0, max: 9, integer: true }),
    "PORT takes a whole number from 0 to 9, not '5' (see `copilot t --help`)",
  );
});
