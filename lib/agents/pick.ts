/**
 * The launch of an agent by name, from Copilot's model list: the one place
 * `copilot claude|codex` and `copilot serve --print-env` pick models and build
 * the launch. A model that cannot be picked is a {@linkcode CopilotError}.
 *
 * @module
 */

import { CopilotError } from "../base/errors.ts";
import { claudeLaunch, pickClaudeModels } from "./claude.ts";
import { codexLaunch, pickCodexModel } from "./codex.ts";
import type { AgentLaunch, LaunchModel, ServeEndpoint } from "./launch.ts";

/** The agents there are launches for. */
export type AgentKind = "claude" | "codex";

/**
 * The launch of `agent` against `serve` with `args`, its models picked from
 * `models` (Copilot's `/models` entries).
 *
 * @example
 * ```ts
 * import { agentLaunch } from "./pick.ts";
 * const models = [{
 *   id: "gpt-5.1-codex",
 *   capabilities: { type: "chat" },
 *   supported_endpoints: ["/responses"],
 * }];
 * const launch = agentLaunch("codex", models, { baseUrl: "http://127.0.0.1:4141" }, []);
 * console.assert(launch.command === "codex");
 * ```
 */
export function agentLaunch(
  agent: AgentKind,
  models: LaunchModel[],
  serve: ServeEndpoint,
  args: string[],
): AgentLaunch {
  try {
    return agent === "claude"
      ? claudeLaunch({ serve, models: pickClaudeModels(models), args })
      : codexLaunch({ serve, model: pickCodexModel(models), args });
  } catch (err) {
    if (err instanceof CopilotError) throw err;
    throw new CopilotError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
