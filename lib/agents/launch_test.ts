/** Tests of the launch helpers: quoting, `--print-env`, model order. */

import { assertEquals } from "@std/assert";
import {
  type AgentLaunch,
  newestFirst,
  printCommand,
  printEnv,
  shellQuote,
  tokenOf,
} from "./launch.ts";

Deno.test("shellQuote: plain words stay, others are single-quoted", () => {
  assertEquals(shellQuote("http://127.0.0.1:4141"), "http://127.0.0.1:4141");
  assertEquals(shellQuote('model="x"'), `'model="x"'`);
  assertEquals(shellQuote("it's"), `'it'\\''s'`);
  assertEquals(shellQuote(""), "''");
});

Deno.test("printEnv: unset first, secrets as references, never the key", () => {
  const launch: AgentLaunch = {
    command: "claude",
    args: ["-p", "Say hi"],
    env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:4141", ANTHROPIC_AUTH_TOKEN: "s3cret key" },
    unset: ["ANTHROPIC_API_KEY"],
    secret: { ANTHROPIC_AUTH_TOKEN: "COPILOT_SERVE_KEY" },
  };
  const printed = printEnv(launch);
  assertEquals(
    printed,
    'unset ANTHROPIC_API_KEY\nexport ANTHROPIC_BASE_URL=http://127.0.0.1:4141\nexport ANTHROPIC_AUTH_TOKEN="$COPILOT_SERVE_KEY"\n',
  );
  assertEquals(printed.includes("s3cret"), false);
  assertEquals(printCommand(launch), "claude -p 'Say hi'");
});

Deno.test("tokenOf: a placeholder without a key, a reference with one", () => {
  assertEquals(tokenOf({ baseUrl: "u" }), { value: "copilot-serve" });
  assertEquals(tokenOf({ baseUrl: "u", apiKey: "k" }), {
    value: "k",
    reference: "COPILOT_SERVE_KEY",
  });
  assertEquals(tokenOf({ baseUrl: "u", apiKey: "k", keyVariable: "MY_KEY" }).reference, "MY_KEY");
});

Deno.test("newestFirst: by version numbers in the id", () => {
  const ids = [
    "claude-sonnet-4",
    "claude-sonnet-4.5",
    "claude-3.7-sonnet",
    "gpt-5.1-codex",
    "gpt-5-codex",
  ]
    .map((id) => ({ id }));
  assertEquals(newestFirst(ids).map((m) => m.id), [
    "gpt-5.1-codex",
    "gpt-5-codex",
    "claude-sonnet-4.5",
    "claude-sonnet-4",
    "claude-3.7-sonnet",
  ]);
});
