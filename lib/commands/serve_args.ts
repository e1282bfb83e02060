/**
 * The command line of `copilot serve [PORT]`: its options, help text, flags
 * and the pure parser from arguments to options. Kept apart from `serve.ts` so
 * parsing the command line does not load the server.
 *
 * @module
 */

import { PORT_RANGE } from "../base/limits.ts";
import {
  EXIT_CODES,
  type FlagSpec,
  HELP,
  listFlag,
  numberFlag,
  parseFlags,
  stringFlag,
  usage,
} from "../cli/flags.ts";

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
  /** Print this agent's set-up (shell exports) on stdout once listening. */
  printEnv?: "claude" | "codex";
}

/** Help of `copilot serve`. */
export const SERVE_HELP = `Usage: copilot serve [PORT] [OPTIONS]

Runs a local HTTP proxy (default port 8080; 0 picks a free one). Routes:
  POST /                      {"prompt", "language"} -> completion text, streamed
  POST /v1/completions        OpenAI completions (stream or not)
  POST /v1/chat/completions   OpenAI chat, forwarded to Copilot chat
  GET  /v1/models             Copilot's models, OpenAI list shape
  GET  /v1/models/ID          One model
  POST /v1/messages           Anthropic Messages (Claude Code), native or bridged to chat
  POST /v1/messages/count_tokens  A local token estimate (errs high)
  POST /v1/responses          OpenAI Responses (Codex), native or bridged to chat
  POST /v1/embeddings         Copilot's embeddings
  GET  /healthz               Whether a login is present

Options:
  --host ADDR          Address to bind (default 127.0.0.1; others print a warning)
  --allow-origin URL   Browser origin allowed to call the server (repeatable)
  --api-key KEY        Require "Authorization: Bearer KEY" or "x-api-key: KEY" (or COPILOT_SERVE_KEY)
  --print-env AGENT    Once listening, print the shell set-up for AGENT (claude or codex)
                       on stdout: exports, the key as "$COPILOT_SERVE_KEY"
  --quiet              No access log on stderr
  -h, --help           Show this help

${EXIT_CODES}
`;

/** The flags of `copilot serve`; the one positional argument is the port. */
export const SERVE_FLAGS: FlagSpec = {
  string: ["host", "allow-origin", "api-key", "print-env"],
  boolean: ["quiet"],
  collect: ["allow-origin"],
  positional: 1,
};

/**
 * Parses the arguments after `serve` into {@linkcode ServeOptions}, or
 * {@linkcode HELP}; misuse throws a usage error (exit 2).
 */
export function parseServeArgs(argv: string[]): ServeOptions | typeof HELP {
  const flags = parseFlags(argv, "serve", SERVE_FLAGS);
  if (flags === HELP) return HELP;
  // Named as in the usage line, `copilot serve [PORT]`: it is not a flag.
  const port = numberFlag(flags._[0], "PORT", "serve", PORT_RANGE) ?? 8080;
  const apiKey = stringFlag(flags, "api-key");
  const printEnv = stringFlag(flags, "print-env");
  if (printEnv !== undefined && printEnv !== "claude" && printEnv !== "codex") {
    throw usage(`--print-env takes claude or codex, not '${printEnv}'`, "serve");
  }
  return {
    port,
    host: stringFlag(flags, "host") ?? "127.0.0.1",
    allowOrigin: listFlag(flags, "allow-origin"),
    quiet: Boolean(flags.quiet),
    ...(apiKey ? { apiKey } : {}),
    ...(printEnv ? { printEnv } : {}),
  };
}
