/** Tests of the Claude Code launch. */

import { assertEquals, assertThrows } from "@std/assert";
import { claudeLaunch, pickClaudeModels } from "./claude.ts";
import { printEnv } from "./launch.ts";
import { MODELS } from "./models_test_data.ts";

Deno.test("pickClaudeModels: newest native sonnet, opus and haiku", () => {
  const picked = pickClaudeModels(MODELS);
  assertEquals([picked.main.id, picked.opus.id, picked.small.id], [
    "claude-sonnet-4.5",
    "claude-opus-4.5",
    "claude-haiku-4.5",
  ]);
  const noClaude = pickClaudeModels(MODELS.filter((m) => !m.id.startsWith("claude")));
  assertEquals([noClaude.main.id, noClaude.small.id], ["gpt-4.1", "gpt-5-mini"]);
  assertEquals(pickClaudeModels(MODELS, { main: "gpt-5.1-codex" }).main.id, "gpt-5.1-codex");
  const error = assertThrows(() => pickClaudeModels(MODELS, { main: "claude-9" }), Error);
  assertEquals(
    error.message.startsWith("Cannot use model claude-9: Copilot offers gpt-4.1, "),
    true,
  );
  assertEquals(error.message.includes("text-embedding"), false);
  assertThrows(() => pickClaudeModels([]), Error, "no chat model");
});

Deno.test("claudeLaunch: serve's URL and key, Copilot's limits, non-essential traffic off", () => {
  const launch = claudeLaunch({
    serve: { baseUrl: "http://127.0.0.1:4141/", apiKey: "k3y" },
    models: pickClaudeModels(MODELS),
    args: ["-p", "Say hi"],
  });
  assertEquals(launch.command, "claude");
  assertEquals(launch.args, ["-p", "Say hi"]);
  assertEquals(launch.env, {
    ANTHROPIC_BASE_URL: "http://127.0.0.1:4141",
    ANTHROPIC_AUTH_TOKEN: "k3y",
    ANTHROPIC_MODEL: "claude-sonnet-4.5",
    ANTHROPIC_DEFAULT_SONNET_MODEL: "claude-sonnet-4.5",
    ANTHROPIC_DEFAULT_OPUS_MODEL: "claude-opus-4.5",
    ANTHROPIC_DEFAULT_HAIKU_MODEL: "claude-haiku-4.5",
    ANTHROPIC_SMALL_FAST_MODEL: "claude-haiku-4.5",
    CLAUDE_CODE_SUBAGENT_MODEL: "claude-sonnet-4.5",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_NON_ESSENTIAL_MODEL_CALLS: "1",
    DISABLE_TELEMETRY: "1",
    CLAUDE_CODE_AUTO_COMPACT_WINDOW: "128000",
    CLAUDE_CODE_MAX_OUTPUT_TOKENS: "16000",
  });
  assertEquals(launch.unset, ["ANTHROPIC_API_KEY"]);
  const printed = printEnv(launch);
  assertEquals(printed.includes("k3y"), false);
  assertEquals(printed.includes('export ANTHROPIC_AUTH_TOKEN="$COPILOT_SERVE_KEY"\n'), true);
});

Deno.test("claudeLaunch: without a key, a placeholder token printed as is", () => {
  const launch = claudeLaunch({
    serve: { baseUrl: "http://[::1]:9" },
    models: pickClaudeModels(MODELS),
  });
  assertEquals([launch.env.ANTHROPIC_AUTH_TOKEN, launch.secret], ["copilot-serve", {}]);
  assertEquals(printEnv(launch).includes("export ANTHROPIC_AUTH_TOKEN=copilot-serve\n"), true);
  assertEquals(launch.env.ANTHROPIC_BASE_URL, "http://[::1]:9");
});
