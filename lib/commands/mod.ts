/**
 * The dispatcher of the command line: picks the command named by the first
 * argument and hands the rest to that command's args module
 * (`lib/commands/X_args.ts`, which owns its flags, help and options). Also the
 * main help. Misuse throws a {@linkcode CopilotError} with exit 2.
 *
 * The args modules are static imports: they are small and load no command
 * code; main.ts loads each command's run code lazily.
 *
 * @module
 */

import { HELP, usage } from "../cli/flags.ts";
import { AGENT_HELP, type AgentOptions, parseAgentArgs } from "./agent_args.ts";
import { COMPLETE_HELP, type CompleteOptions, parseCompleteArgs } from "./complete_args.ts";
import { LOGIN_HELP, type LoginOptions, parseLoginArgs } from "./login_args.ts";
import { LOGOUT_HELP, parseLogoutArgs } from "./logout_args.ts";
import { parseServeArgs, SERVE_HELP, type ServeOptions } from "./serve_args.ts";
import { parseStatusArgs, STATUS_HELP, type StatusOptions } from "./status_args.ts";
import { MODELS_HELP, type ModelsOptions, parseModelsArgs } from "./models_args.ts";
import { LSP_HELP, type LspOptions, parseLspArgs } from "./lsp_args.ts";

/** A parsed command line. */
export type Command =
  | { command: "help"; topic?: string }
  | { command: "version" }
  | { command: "login"; options: LoginOptions }
  | { command: "logout" }
  | { command: "status"; options: StatusOptions }
  | { command: "models"; options: ModelsOptions }
  | { command: "complete"; options: CompleteOptions }
  | { command: "serve"; options: ServeOptions }
  | { command: "lsp"; options: LspOptions }
  | { command: "agent"; options: AgentOptions };

/** Help of the whole tool. */
export const MAIN_HELP = `copilot: GitHub Copilot completions in any terminal, editor or script

Usage: copilot COMMAND [OPTIONS]

Commands:
  login      Log in to GitHub (device flow) and store the token privately
  logout     Delete the stored token and the cached session
  status     Show who is logged in, whether Copilot works, the plan and the quotas
  models     List Copilot's models (chat, completion) and the ones in use
  complete   Complete the code on stdin; the completion streams to stdout
  serve      Run a local HTTP proxy for editors, scripts, OpenAI and Anthropic clients
  lsp        Run a language server on stdio for any LSP editor (Neovim, Helix, Emacs...)
  claude     Run Claude Code on Copilot (a private serve, everything set up)
  codex      Run the Codex CLI on Copilot (likewise; also: copilot agent NAME)

Options:
  -h, --help     Show help (also: copilot COMMAND --help)
  -V, --version  Show the version

Examples:
  copilot login
  echo "def fib(n):" | copilot complete --lang python
  copilot serve 8080

Environment: COPILOT_CONFIG_DIR, COPILOT_GITHUB_TOKEN, COPILOT_GITHUB_URL, COPILOT_API_URL,
COPILOT_PROXY_URL, COPILOT_DEBUG=1 (request log on stderr, tokens redacted). See README.md.
`;

/** Help of each command, by command name. */
export const COMMAND_HELP: Record<string, string> = {
  login: LOGIN_HELP,
  logout: LOGOUT_HELP,
  status: STATUS_HELP,
  models: MODELS_HELP,
  complete: COMPLETE_HELP,
  serve: SERVE_HELP,
  lsp: LSP_HELP,
  claude: AGENT_HELP,
  codex: AGENT_HELP,
  agent: AGENT_HELP,
};

/** Parses the arguments after the command name `name` with that command's parser. */
function commandOf(name: string, rest: string[]): Command {
  const help = { command: "help", topic: name } as const;
  switch (name) {
    case "login": {
      const options = parseLoginArgs(rest);
      return options === HELP ? help : { command: "login", options };
    }
    case "logout":
      return parseLogoutArgs(rest) === HELP ? help : { command: "logout" };
    case "status": {
      const options = parseStatusArgs(rest);
      return options === HELP ? help : { command: "status", options };
    }
    case "models": {
      const options = parseModelsArgs(rest);
      return options === HELP ? help : { command: "models", options };
    }
    case "complete": {
      const options = parseCompleteArgs(rest);
      return options === HELP ? help : { command: "complete", options };
    }
    case "serve": {
      const options = parseServeArgs(rest);
      return options === HELP ? help : { command: "serve", options };
    }
    case "lsp": {
      const options = parseLspArgs(rest);
      return options === HELP ? help : { command: "lsp", options };
    }
    case "claude":
    case "codex":
    case "agent": {
      const options = parseAgentArgs(name, rest);
      return options === HELP ? help : { command: "agent", options };
    }
    default:
      throw usage(`unknown command '${name}'`);
  }
}

/**
 * Parses `args` (without the program name) into a {@linkcode Command}.
 *
 * @example
 * ```ts
 * import { parseCommand } from "./mod.ts";
 * const cmd = parseCommand(["complete", "--lang", "python"]);
 * console.assert(cmd.command === "complete");
 * ```
 */
export function parseCommand(args: string[]): Command {
  const [first, ...rest] = args;
  if (first === undefined || first === "-h" || first === "--help") return { command: "help" };
  if (first === "-V" || first === "--version") return { command: "version" };
  if (first === "help") {
    const topic = rest[0];
    if (!topic) return { command: "help" };
    // An own key only: `help constructor` must not print Object's source.
    if (!Object.hasOwn(COMMAND_HELP, topic)) throw usage(`unknown command '${topic}'`);
    return { command: "help", topic };
  }
  if (first.startsWith("-")) throw usage(`unknown option ${first}`);
  return commandOf(first, rest);
}
