/**
 * Command-line parsing: a pure function from arguments to a typed command,
 * and the help texts. Misuse throws a {@linkcode CopilotError} with exit 2.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { CopilotError, ExitCode } from "../base/errors.ts";

/** Options of `copilot login`. */
export interface LoginOptions {
  /** Do not try to open a browser. */
  noBrowser: boolean;
  /** GitHub Enterprise host (`github.com` when absent). */
  host?: string;
}

/** Options of `copilot complete`. */
export interface CompleteOptions {
  /** Language id. */
  lang?: string;
  /** Read the prompt from this file instead of stdin. */
  file?: string;
  /** Code after the cursor. */
  suffix?: string;
  /** File holding the code after the cursor. */
  suffixFile?: string;
  /** One line instead of the block. */
  line: boolean;
  /** Stop sequences (override). */
  stop: string[];
  /** Upper bound of tokens. */
  maxTokens?: number;
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus sampling. */
  topP?: number;
  /** Number of suggestions. */
  n: number;
  /** Model name. */
  model?: string;
  /** Print the prompt before the completion. */
  echo: boolean;
  /** One JSON document instead of text. */
  json: boolean;
  /** Seconds without a byte before giving up. */
  timeout?: number;
  /** Print the request instead of sending it. */
  dryRun: boolean;
}

/** Options of `copilot serve`. */
export interface ServeOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** Address to bind. */
  host: string;
  /** Browser origins allowed to call the server. */
  allowOrigin: string[];
  /** Required bearer key (or `COPILOT_SERVE_KEY`). */
  apiKey?: string;
  /** No access log. */
  quiet: boolean;
}

/** A parsed command line. */
export type Command =
  | { command: "help"; topic?: string }
  | { command: "version" }
  | { command: "login"; options: LoginOptions }
  | { command: "logout" }
  | { command: "status" }
  | { command: "complete"; options: CompleteOptions }
  | { command: "serve"; options: ServeOptions };

/** Help of the whole tool. */
export const MAIN_HELP = `copilot: GitHub Copilot completions in any terminal, editor or script

Usage: copilot COMMAND [OPTIONS]

Commands:
  login      Log in to GitHub (device flow) and store the token privately
  logout     Delete the stored token and the cached session
  status     Show who is logged in, where the token comes from, and whether Copilot works
  complete   Complete the code on stdin; the completion streams to stdout
  serve      Run a local HTTP proxy for editors, scripts and OpenAI clients
  lsp        Run a language server on stdio for any LSP editor (Neovim, Helix, Emacs...)

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

const EXIT_CODES = `Exit status:
  0    success
  1    upstream or network failure, or the completion was cut off
  2    misuse: unknown command or option, bad value, empty prompt
  4    not logged in, token rejected, or no Copilot access
  5    rate limited or out of quota: try again later
  124  no answer within the timeout
  130  interrupted (Ctrl-C)`;

/** Help of each command. */
export const COMMAND_HELP: Record<string, string> = {
  login: `Usage: copilot login [--no-browser] [--host HOST]

Logs in to GitHub with the device flow: shows a code and a URL (on stderr),
opens the browser when there is a display, waits for you to confirm, then
stores the token in the config dir (0600).

Options:
  --no-browser   Do not open a browser
  --host HOST    A GitHub Enterprise host (default github.com)
  -h, --help     Show this help

${EXIT_CODES}
`,
  logout: `Usage: copilot logout

Deletes this tool's stored GitHub token and cached session token. Never touches
copilot.vim / copilot.lua files.

${EXIT_CODES}
`,
  status: `Usage: copilot status

Shows who is logged in, where the token comes from (environment, copilot login,
copilot.vim), and whether Copilot access works. Exits 0 when it does.

${EXIT_CODES}
`,
  complete: `Usage: copilot complete [OPTIONS] < PROMPT

Completes the code on stdin (or --file). The completion streams to stdout as it
arrives, verbatim; nothing is printed on stderr unless something fails.

Options:
  -l, --lang LANG         Language id (python, typescript, ...); guessed from --file
  -f, --file PATH         Read the prompt from PATH instead of stdin
      --suffix TEXT       Code after the cursor (fill-in-the-middle)
      --suffix-file PATH  Read the code after the cursor from PATH
      --line              Complete one line (default: the whole block)
      --stop S            Stop sequence (repeatable; overrides the defaults)
      --max-tokens N      Upper bound of generated tokens (default 500)
      --temperature T     Sampling temperature, 0 to 2
      --top-p P           Nucleus sampling, 0 to 1
  -n N                    Number of suggestions, 1 to 10
      --model NAME        Completion model (default gpt-41-copilot, or COPILOT_MODEL)
      --echo              Print the prompt first (for vim filters: :1,.!copilot complete --echo)
      --json              Print one JSON document (text, finish reason, every choice)
      --timeout SECONDS   Give up when no byte arrives for this long (default 30)
      --dry-run           Print the request that would be sent (tokens redacted); send nothing
  -h, --help              Show this help

Examples:
  echo "def fib(n):" | copilot complete --lang python
  copilot complete --file src/app.ts --line
  vim:  :r !copilot complete --lang python < %

${EXIT_CODES}
`,
  serve: `Usage: copilot serve [PORT] [OPTIONS]

Runs a local HTTP proxy (default port 8080; 0 picks a free one). Routes:
  POST /                      {"prompt", "language"} -> completion text, streamed
  POST /v1/completions        OpenAI completions (stream or not)
  POST /v1/chat/completions   OpenAI chat, forwarded to Copilot chat
  GET  /v1/models             Copilot's models, OpenAI list shape
  GET  /healthz               Whether a login is present

Options:
  --host ADDR          Address to bind (default 127.0.0.1; others print a warning)
  --allow-origin URL   Browser origin allowed to call the server (repeatable)
  --api-key KEY        Require "Authorization: Bearer KEY" (or COPILOT_SERVE_KEY)
  --quiet              No access log on stderr
  -h, --help           Show this help

${EXIT_CODES}
`,
};

interface FlagSpec {
  string?: string[];
  boolean?: string[];
  collect?: string[];
  alias?: Record<string, string>;
}

const FLAGS: Record<string, FlagSpec> = {
  login: { boolean: ["no-browser"], string: ["host"] },
  logout: {},
  status: {},
  complete: {
    string: [
      "lang",
      "file",
      "suffix",
      "suffix-file",
      "stop",
      "max-tokens",
      "temperature",
      "top-p",
      "n",
      "model",
      "timeout",
    ],
    boolean: ["line", "echo", "json", "dry-run"],
    collect: ["stop"],
    alias: { l: "lang", f: "file" },
  },
  serve: {
    string: ["host", "allow-origin", "api-key"],
    boolean: ["quiet"],
    collect: ["allow-origin"],
  },
};

function usage(message: string, command?: string): CopilotError {
  const hint = command ? `copilot ${command} --help` : "copilot --help";
  return new CopilotError(`${message} (see \`${hint}\`)`, { exitCode: ExitCode.Usage });
}

/** Parses a number flag within [min, max]; integers only when `integer`. */
function numberFlag(
  flags: Record<string, unknown>,
  name: string,
  command: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (
    typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(value) || value < min ||
    value > max || (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? "a whole number" : "a number";
    const flag = name.length === 1 ? `-${name}` : `--${name}`;
    throw usage(`${flag} takes ${kind} from ${min} to ${max}, not '${String(raw)}'`, command);
  }
  return value;
}

function str(flags: Record<string, unknown>, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Parses `args` (without the program name) into a {@linkcode Command}.
 *
 * @example
 * ```ts
 * import { parseCommand } from "./parse.ts";
 * const cmd = parseCommand(["complete", "--lang", "python"]);
 * console.assert(cmd.command === "complete");
 * ```
 */
export function parseCommand(args: string[]): Command {
  const [first, ...rest] = args;
  if (first === undefined || first === "-h" || first === "--help") return { command: "help" };
  if (first === "-V" || first === "--version") return { command: "version" };
  if (first === "help") return { command: "help", ...(rest[0] ? { topic: rest[0] } : {}) };
  if (first.startsWith("-")) throw usage(`unknown option ${first}`);
  const spec = FLAGS[first];
  if (!spec) throw usage(`unknown command '${first}'`);
  const flags = parseArgs(rest, {
    string: spec.string ?? [],
    boolean: [...(spec.boolean ?? []), "help"],
    collect: spec.collect ?? [],
    alias: { ...spec.alias, h: "help" },
    unknown: (arg: string) => {
      if (arg.startsWith("-")) {
        throw usage(`unknown option ${arg.split("=")[0]} for ${first}`, first);
      }
      return true;
    },
  }) as Record<string, unknown> & { _: (string | number)[] };
  if (flags.help) return { command: "help", topic: first };
  const positional = flags._.map(String);
  const maxPositional = first === "serve" ? 1 : 0;
  if (positional.length > maxPositional) {
    throw usage(`unexpected argument '${positional[maxPositional]}' for ${first}`, first);
  }
  switch (first) {
    case "login":
      return {
        command: "login",
        options: {
          noBrowser: Boolean(flags["no-browser"]),
          ...(str(flags, "host") ? { host: str(flags, "host")! } : {}),
        },
      };
    case "logout":
      return { command: "logout" };
    case "status":
      return { command: "status" };
    case "complete":
      return { command: "complete", options: completeOptions(flags) };
    default:
      return { command: "serve", options: serveOptions(flags, positional[0]) };
  }
}

function completeOptions(flags: Record<string, unknown>): CompleteOptions {
  const c = "complete";
  const options: CompleteOptions = {
    line: Boolean(flags.line),
    stop: (flags.stop as string[] | undefined) ?? [],
    n: numberFlag(flags, "n", c, 1, 10, true) ?? 1,
    echo: Boolean(flags.echo),
    json: Boolean(flags.json),
    dryRun: Boolean(flags["dry-run"]),
  };
  const maxTokens = numberFlag(flags, "max-tokens", c, 1, 100_000, true);
  const temperature = numberFlag(flags, "temperature", c, 0, 2);
  const topP = numberFlag(flags, "top-p", c, 0, 1);
  const timeout = numberFlag(flags, "timeout", c, 0.001, 86_400);
  if (maxTokens !== undefined) options.maxTokens = maxTokens;
  if (temperature !== undefined) options.temperature = temperature;
  if (topP !== undefined) options.topP = topP;
  if (timeout !== undefined) options.timeout = timeout;
  for (
    const [flag, key] of [["lang", "lang"], ["file", "file"], ["suffix", "suffix"], [
      "suffix-file",
      "suffixFile",
    ], ["model", "model"]] as const
  ) {
    const value = str(flags, flag);
    if (value !== undefined) options[key] = value;
  }
  if (options.suffix !== undefined && options.suffixFile !== undefined) {
    throw usage("--suffix and --suffix-file cannot be used together", c);
  }
  return options;
}

function serveOptions(flags: Record<string, unknown>, port: string | undefined): ServeOptions {
  const parsedPort = numberFlag({ port }, "port", "serve", 0, 65535, true) ?? 8080;
  const apiKey = str(flags, "api-key");
  return {
    port: parsedPort,
    host: str(flags, "host") ?? "127.0.0.1",
    allowOrigin: (flags["allow-origin"] as string[] | undefined) ?? [],
    quiet: Boolean(flags.quiet),
    ...(apiKey ? { apiKey } : {}),
  };
}
