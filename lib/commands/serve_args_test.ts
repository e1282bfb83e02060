/** Unit tests of `copilot serve`'s command line: the port, flags, defaults, misuse, help. */

import { assertEquals } from "@std/assert";
import { HELP } from "../cli/flags.ts";
import { usageAsserter } from "./_usage_assert.ts";
import { parseServeArgs, SERVE_FLAGS } from "./serve_args.ts";

/** Asserts that parsing `argv` is misuse (exit 2) with exactly `message` before the hint. */
const assertUsage = usageAsserter(parseServeArgs, "serve");

Deno.test("serve: the defaults", () => {
  assertEquals(parseServeArgs([]), {
    port: 8080,
    host: "127.0.0.1",
    allowOrigin: [],
    quiet: false,
  });
});

Deno.test("serve: the port and every flag", () => {
  assertEquals(
    parseServeArgs([
      ...["0", "--host", "0.0.0.0", "--allow-origin", "http://a", "--allow-origin=http://b"],
      ...["--api-key", "k", "--quiet"],
    ]),
    {
      port: 0,
      host: "0.0.0.0",
      allowOrigin: ["http://a", "http://b"],
      apiKey: "k",
      quiet: true,
    },
  );
  assertEquals(parseServeArgs(["--quiet", "65535"]), {
    port: 65535,
    host: "127.0.0.1",
    allowOrigin: [],
    quiet: true,
  });
});

Deno.test("serve: --help and -h ask for help", () => {
  assertEquals(parseServeArgs(["--help"]), HELP);
  assertEquals(parseServeArgs(["8080", "-h"]), HELP);
});

Deno.test("serve: a bad port is misuse naming PORT as in the usage line, not a flag", () => {
  for (const port of ["99999", "65536", "abc", "80.5"]) {
    assertUsage([port], `PORT takes a whole number from 0 to 65535, not '${port}'`);
  }
  assertUsage(["8080", "8081"], "unexpected argument '8081' for serve");
});

for (const flag of SERVE_FLAGS.string!) {
  Deno.test(`serve: --${flag} without its value is misuse`, () => {
    assertUsage([`--${flag}`], `--${flag} needs a value`);
    assertUsage([`--${flag}`, "--quiet"], `--${flag} needs a value`);
  });
}

Deno.test("serve: an unknown option is misuse", () => {
  assertUsage(["--port", "1"], "unknown option --port for serve");
});

Deno.test("serve: --print-env names an agent", () => {
  const options = parseServeArgs(["--print-env", "codex"]);
  assertEquals(options !== "help" && options.printEnv, "codex");
  assertUsage(["--print-env", "aider"], "--print-env takes claude or codex, not 'aider'");
});
