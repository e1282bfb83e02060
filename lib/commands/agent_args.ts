/**
 * The command line of `copilot claude [ARGS]`, `copilot codex [ARGS]` and
 * `copilot agent NAME [ARGS]`: every argument after the agent's name is the
 * agent's own, passed on untouched (`copilot claude --help` is Claude Code's
 * help; `copilot help claude` is this one).
 *
 * @module
 */

import { EXIT_CODES, HELP, usage } from "../cli/flags.ts";

/** The agents `copilot` can set up. */
export const AGENTS = ["claude", "codex"] as const;

/** One of {@linkcode AGENTS}. */
export type AgentName = typeof AGENTS[number];

/** A parsed agent command line. */
export interface AgentOptions {
  /** Which agent. */
  agent: AgentName;
  /** Its arguments, as given. */
  args: string[];
}

/** Help of `copilot claude`, `copilot codex` and `copilot agent`. */
export const AGENT_HELP = `Usage: copilot claude [ARGS...]
       copilot codex [ARGS...]
       copilot agent claude|codex [ARGS...]

Runs Claude Code (claude) or the Codex CLI (codex) on your Copilot access: starts a
private copilot serve on 127.0.0.1 (a free port, a random key), sets up the agent
(Claude Code: ANTHROPIC_BASE_URL, ANTHROPIC_AUTH_TOKEN, models picked from Copilot's
list, non-essential traffic off; Codex: a model provider given with -c flags, your
~/.codex files untouched) and runs it with ARGS. The agent must be installed
(npm i -g @anthropic-ai/claude-code, npm i -g @openai/codex). The exit status is
the agent's.

For a long-lived server instead: copilot serve --print-env claude

Examples:
  copilot claude
  copilot claude -p "Explain this repository"
  copilot codex exec "Fix the failing test"

${EXIT_CODES}
`;

/**
 * The agent command for `name` (`claude`, `codex` or `agent`) and the arguments after it;
 * {@linkcode HELP} for `copilot agent --help`. Misuse throws a usage error (exit 2).
 */
export function parseAgentArgs(name: string, rest: string[]): AgentOptions | typeof HELP {
  const [agent, args] = name === "agent" ? [rest[0], rest.slice(1)] : [name, rest];
  if (name === "agent" && (agent === "-h" || agent === "--help")) return HELP;
  if (agent === undefined) throw usage("name an agent: claude or codex", "agent");
  if (!(AGENTS as readonly string[]).includes(agent)) {
    throw usage(`unknown agent '${agent}'; use claude or codex`, "agent");
  }
  return { agent: agent as AgentName, args };
}
