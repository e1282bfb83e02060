/**
 * Claude Code against `copilot serve`: the models to use (from Copilot's `/models`) and the
 * environment that points it at serve (`ANTHROPIC_BASE_URL`, `ANTHROPIC_AUTH_TOKEN`), sizes
 * compaction and output to Copilot's limits, and turns its non-essential traffic off
 * (agents research 3.2, 2.8). Pure: the process is started elsewhere.
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

/** The models Claude Code is given. */
export interface ClaudeModels {
  /** Main model (`ANTHROPIC_MODEL`, the sonnet slot). */
  main: LaunchModel;
  /** Opus slot. */
  opus: LaunchModel;
  /** Small, fast model (haiku slot, background tasks). */
  small: LaunchModel;
}

const isMessages = (model: LaunchModel) =>
  model.supported_endpoints?.includes("/v1/messages") ?? false;
const family = (name: string) => (model: LaunchModel) => model.id.includes(name);

/**
 * Picks the models: `requested` ids when given (an unknown id is an error naming those there
 * are), else the newest Claude sonnet served on `/v1/messages` (any Claude, then the chat
 * default), the newest opus (else main), the newest haiku (else a `mini` model, else main).
 */
export function pickClaudeModels(
  models: LaunchModel[],
  requested: { main?: string; small?: string } = {},
): ClaudeModels {
  const chat = chatModels(models);
  const find = (id: string) => {
    const found = chat.find((model) => model.id === id);
    if (found !== undefined) return found;
    throw new Error(
      `Cannot use model ${id}: Copilot offers ${
        chat.map((m) => m.id).join(", ") || "no chat model"
      }`,
    );
  };
  const claude = newestFirst(chat.filter(family("claude")));
  const native = claude.filter(isMessages);
  const main = requested.main !== undefined
    ? find(requested.main)
    : native.find(family("sonnet")) ?? native[0] ?? claude[0] ??
      chat.find((m) => m.is_chat_default) ?? chat[0];
  if (main === undefined) throw new Error("Cannot start Claude Code: Copilot offers no chat model");
  const small = requested.small !== undefined
    ? find(requested.small)
    : claude.find(family("haiku")) ?? newestFirst(chat.filter(family("mini")))[0] ?? main;
  const opus = native.find(family("opus")) ?? main;
  return { main, opus, small };
}

/** Options of {@linkcode claudeLaunch}. */
export interface ClaudeOptions {
  /** serve's address and key. */
  serve: ServeEndpoint;
  /** The models to use. */
  models: ClaudeModels;
  /** Arguments for `claude` (the user's). */
  args?: string[];
}

/** The launch of Claude Code against serve. */
export function claudeLaunch(options: ClaudeOptions): AgentLaunch {
  const { main, opus, small } = options.models;
  const token = tokenOf(options.serve);
  const env: Record<string, string> = {
    ANTHROPIC_BASE_URL: options.serve.baseUrl.replace(/\/+$/, ""),
    ANTHROPIC_AUTH_TOKEN: token.value,
    ANTHROPIC_MODEL: main.id,
    ANTHROPIC_DEFAULT_SONNET_MODEL: main.id,
    ANTHROPIC_DEFAULT_OPUS_MODEL: opus.id,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: small.id,
    ANTHROPIC_SMALL_FAST_MODEL: small.id,
    CLAUDE_CODE_SUBAGENT_MODEL: main.id,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_NON_ESSENTIAL_MODEL_CALLS: "1",
    DISABLE_TELEMETRY: "1",
  };
  const limits = main.capabilities?.limits;
  if (limits?.max_prompt_tokens) {
    env.CLAUDE_CODE_AUTO_COMPACT_WINDOW = String(limits.max_prompt_tokens);
  }
  if (limits?.max_output_tokens) {
    env.CLAUDE_CODE_MAX_OUTPUT_TOKENS = String(Math.min(limits.max_output_tokens, 32000));
  }
  return {
    command: "claude",
    args: options.args ?? [],
    env,
    // An API key would win over ANTHROPIC_AUTH_TOKEN and send requests elsewhere.
    unset: ["ANTHROPIC_API_KEY"],
    secret: token.reference === undefined ? {} : { ANTHROPIC_AUTH_TOKEN: token.reference },
  };
}
