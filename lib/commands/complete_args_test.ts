/** Unit tests of `copilot complete`'s command line: flags, defaults, misuse, help. */

import { assertEquals } from "@std/assert";
import { HELP } from "../cli/flags.ts";
import { usageAsserter } from "./_usage_assert.ts";
import { COMPLETE_FLAGS, COMPLETE_HELP, parseCompleteArgs } from "./complete_args.ts";

/** Asserts that parsing `argv` is misuse (exit 2) with exactly `message` before the hint. */
const assertUsage = usageAsserter(parseCompleteArgs, "complete");

Deno.test("complete: the defaults", () => {
  assertEquals(parseCompleteArgs([]), {
    line: false,
    stop: [],
    n: 1,
    echo: false,
    json: false,
    dryRun: false,
  });
});

Deno.test("complete: every flag, long and short", () => {
  assertEquals(
    parseCompleteArgs([
      ...["-l", "python", "-f", "a.py", "--suffix", "}", "--line", "--stop", "\n\n", "--stop=;"],
      ...["--max-tokens", "64", "--temperature", "0.2", "--top-p", "0.9", "-n", "3"],
      ...["--model", "m", "--echo", "--json", "--timeout", "2.5", "--dry-run"],
    ]),
    {
      lang: "python",
      file: "a.py",
      suffix: "}",
      line: true,
      stop: ["\n\n", ";"],
      maxTokens: 64,
      temperature: 0.2,
      topP: 0.9,
      n: 3,
      model: "m",
      echo: true,
      json: true,
      timeout: 2.5,
      dryRun: true,
    },
  );
  const long = parseCompleteArgs(["--lang=go", "--file", "b.go", "--suffix-file", "s.go"]);
  assertEquals(long !== HELP && [long.lang, long.file, long.suffixFile], ["go", "b.go", "s.go"]);
});

Deno.test("complete: --help and -h ask for help; the help lists every flag", () => {
  assertEquals(parseCompleteArgs(["--help"]), HELP);
  assertEquals(parseCompleteArgs(["--lang", "python", "-h"]), HELP);
  for (const flag of [...COMPLETE_FLAGS.string!, ...COMPLETE_FLAGS.boolean!]) {
    const written = flag.length === 1 ? `-${flag} ` : `--${flag}`;
    assertEquals(COMPLETE_HELP.includes(written), true, flag);
  }
});

for (const flag of COMPLETE_FLAGS.string!) {
  const written = flag.length === 1 ? `-${flag}` : `--${flag}`;
  Deno.test(`complete: ${written} without its value is misuse`, () => {
    assertUsage([written], `${written} needs a value`);
    assertUsage([written, "--line"], `${written} needs a value`);
  });
}

Deno.test("complete: -l and -f without a value name the long flag", () => {
  assertUsage(["-l"], "--lang needs a value");
  assertUsage(["-f", "--echo"], "--file needs a value");
});

Deno.test("complete: number flags out of range are misuse, naming the flag and the range", () => {
  assertUsage(["-n", "11"], "-n takes a whole number from 1 to 10, not '11'");
  assertUsage(["-n", "1.5"], "-n takes a whole number from 1 to 10, not '1.5'");
  assertUsage(["--max-tokens", "0"], "--max-tokens takes a whole number from 1 to 100000, not '0'");
  assertUsage(["--temperature", "x"], "--temperature takes a number from 0 to 2, not 'x'");
  assertUsage(["--top-p", "1.1"], "--top-p takes a number from 0 to 1, not '1.1'");
  assertUsage(["--timeout", "0"], "--timeout takes a number from 0.001 to 86400, not '0'");
});

Deno.test("complete: unknown options, arguments and --suffix with --suffix-file are misuse", () => {
  assertUsage(["--bogus"], "unknown option --bogus for complete");
  assertUsage(["prompt.py"], "unexpected argument 'prompt.py' for complete");
  assertUsage(
    ["--suffix", "a", "--suffix-file", "b"],
    "--suffix and --suffix-file cannot be used together",
  );
});
