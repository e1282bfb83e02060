/**
 * OpenAI Codex CLI against `copilot serve`: a model provider that speaks Responses to serve,
 * given as `-c` overrides so the user's `~/.codex` is read but never written, or as a
 * `config.toml` for a private `CODEX_HOME`; analytics, update checks and the features that call
 * out (plugins, apps, goals, multi-agent) off (agents research 3.3). Pure.
 *
 * @module
 */

import {
  type AgentLaunch,
  chatModels,
  type LaunchModel,
  newestFirst,
  type ServeEndpoint,
  tokenOf,
} from "./launch.ts";

/** Name of the provider entry. */
export const PROVIDER = "copilot-serve";
/** Variable Codex reads the key from (`env_key`). */
export const KEY_VARIABLE = "COPILOT_SERVE_KEY";
/** Features that reach the network on their own. */
export const OFFLINE_FEATURES = ["plugins", "multi_agent", "goals", "apps"] as const;

/**
 * The model: `requested` when given (unknown → an error naming those there are), else the
 * newest codex model served on `/responses`, else any served there, else the chat default.
 */
export function pickCodexModel(models: LaunchModel[], requested?: string): LaunchModel {
  const chat = chatModels(models);
  if (requested !== undefined) {
    const found = chat.find((model) => model.id === requested);
    if (found !== undefined) return found;
    throw new Error(
      `Cannot use model ${requested}: Copilot offers ${
        chat.map((m) => m.id).join(", ") || "no chat model"
      }`,
    );
  }
  const responses = newestFirst(
    chat.filter((model) => model.supported_endpoints?.includes("/responses")),
  );
  const picked = responses.find((model) => model.id.includes("codex")) ?? responses[0] ??
    chat.find((model) => model.is_chat_default) ?? chat[0];
  if (picked === undefined) throw new Error("Cannot start Codex: Copilot offers no chat model");
  return picked;
}

/** Options of the Codex launch. */
export interface CodexOptions {
  /** serve's address and key. */
  serve: ServeEndpoint;
  /** The model. */
  model: LaunchModel;
  /** `model_reasoning_effort`, if any. */
  reasoningEffort?: string;
  /** Arguments for `codex` (the user's). */
  args?: string[];
}

/** The settings, as dotted keys with TOML values. */
function settings(options: CodexOptions): [string, string][] {
  const provider = `model_providers.${PROVIDER}`;
  const pairs: [string, string][] = [
    ["model", toml(options.model.id)],
    ["model_provider", toml(PROVIDER)],
    [`${provider}.name`, toml("copilot serve (local)")],
    [`${provider}.base_url`, toml(`${options.serve.baseUrl.replace(/\/+$/, "")}/v1`)],
    [`${provider}.wire_api`, toml("responses")],
    [`${provider}.env_key`, toml(KEY_VARIABLE)],
    ["check_for_update_on_startup", "false"],
    ["analytics.enabled", "false"],
  ];
  if (options.reasoningEffort) {
    pairs.push(["model_reasoning_effort", toml(options.reasoningEffort)]);
  }
  return pairs;
}

/** A TOML basic string. */
function toml(value: string): string {
  return JSON.stringify(value);
}

/** The launch with `-c key=value` overrides (the user's Codex home is read, never written). */
export function codexLaunch(options: CodexOptions): AgentLaunch {
  const token = tokenOf(options.serve);
  const overrides = settings(options).flatMap(([key, value]) => ["-c", `${key}=${value}`]);
  const disable = OFFLINE_FEATURES.flatMap((feature) => ["--disable", feature]);
  return {
    command: "codex",
    args: [...overrides, ...disable, ...(options.args ?? [])],
    env: { [KEY_VARIABLE]: token.value },
    unset: [],
    secret: token.reference === undefined ? {} : { [KEY_VARIABLE]: token.reference },
  };
}

/** A `config.toml` with the same settings, for a private `CODEX_HOME` (tests, hermetic runs). */
export function codexConfigToml(options: CodexOptions): string {
  const top: string[] = [];
  const tables = new Map<string, string[]>();
  for (const [key, value] of settings(options)) {
    const dot = key.lastIndexOf(".");
    if (dot < 0) top.push(`${key} = ${value}`);
    else {
      const table = key.slice(0, dot);
      tables.set(table, [...(tables.get(table) ?? []), `${key.slice(dot + 1)} = ${value}`]);
    }
  }
  const sections = [...tables].map(([table, lines]) => `[${table}]\n${lines.join("\n")}`);
  return [top.join("\n"), ...sections].join("\n\n") + "\n";
}
