/** Tests of the Codex CLI launch. */

import { assertEquals, assertThrows } from "@std/assert";
import { codexConfigToml, codexLaunch, pickCodexModel } from "./codex.ts";
import { printCommand, printEnv } from "./launch.ts";
import { MODELS } from "./models_test_data.ts";

Deno.test("pickCodexModel: the newest codex model on /responses", () => {
  assertEquals(pickCodexModel(MODELS).id, "gpt-5.1-codex");
  assertEquals(pickCodexModel(MODELS.filter((m) => !m.id.includes("codex"))).id, "gpt-5-mini");
  assertEquals(pickCodexModel(MODELS, "gpt-4.1").id, "gpt-4.1");
  assertThrows(
    () => pickCodexModel(MODELS, "o9"),
    Error,
    "Cannot use model o9: Copilot offers gpt-4.1",
  );
});

Deno.test("codexLaunch: -c overrides for a Responses provider, chatty features off", () => {
  const launch = codexLaunch({
    serve: { baseUrl: "http://127.0.0.1:4141", apiKey: "k3y" },
    model: pickCodexModel(MODELS),
    reasoningEffort: "low",
    args: ["exec", "Say hi"],
  });
  assertEquals(launch.command, "codex");
  assertEquals(launch.args, [
    "-c",
    'model="gpt-5.1-codex"',
    "-c",
    'model_provider="copilot-serve"',
    "-c",
    'model_providers.copilot-serve.name="copilot serve (local)"',
    "-c",
    'model_providers.copilot-serve.base_url="http://127.0.0.1:4141/v1"',
    "-c",
    'model_providers.copilot-serve.wire_api="responses"',
    "-c",
    'model_providers.copilot-serve.env_key="COPILOT_SERVE_KEY"',
    "-c",
    "check_for_update_on_startup=false",
    "-c",
    "analytics.enabled=false",
    "-c",
    'model_reasoning_effort="low"',
    "--disable",
    "plugins",
    "--disable",
    "multi_agent",
    "--disable",
    "goals",
    "--disable",
    "apps",
    "exec",
    "Say hi",
  ]);
  assertEquals(launch.env, { COPILOT_SERVE_KEY: "k3y" });
  assertEquals(printEnv(launch), 'export COPILOT_SERVE_KEY="$COPILOT_SERVE_KEY"\n');
  assertEquals(printCommand(launch).startsWith(`codex -c 'model="gpt-5.1-codex"' -c`), true);
});

Deno.test("codexConfigToml: the same settings as a file for a private CODEX_HOME", () => {
  const toml = codexConfigToml({
    serve: { baseUrl: "http://127.0.0.1:4141" },
    model: pickCodexModel(MODELS),
  });
  assertEquals(
    toml,
    [
      'model = "gpt-5.1-codex"',
      'model_provider = "copilot-serve"',
      "check_for_update_on_startup = false",
      "",
      "[model_providers.copilot-serve]",
      'name = "copilot serve (local)"',
      'base_url = "http://127.0.0.1:4141/v1"',
      'wire_api = "responses"',
      'env_key = "COPILOT_SERVE_KEY"',
      "",
      "[analytics]",
      "enabled = false",
      "",
    ].join("\n"),
  );
  const launch = codexLaunch({
    serve: { baseUrl: "http://127.0.0.1:4141" },
    model: pickCodexModel(MODELS),
  });
  assertEquals([launch.env, launch.secret], [{ COPILOT_SERVE_KEY: "copilot-serve" }, {}]);
});
