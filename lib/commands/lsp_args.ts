/**
 * The command line of `copilot lsp`: its flags and help, kept beside the
 * command (main.ts hands it the arguments after `lsp`).
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";

/** Options of `copilot lsp`. */
export interface LspOptions {
  /** Show the help and exit. */
  help: boolean;
  /** Debounce of automatic triggers in ms; undefined: the server's default. */
  debounceMs?: number;
  /** Answer only invoked triggers. */
  manual: boolean;
}

/** Help of `copilot lsp`. */
export const LSP_HELP = `Usage: copilot lsp [--stdio] [--debounce MS] [--manual]

Runs a language server on stdin/stdout for any LSP editor (Neovim, Helix, Emacs,
Kakoune, Sublime, Zed, ...), with the token of \`copilot login\`. Answers
textDocument/inlineCompletion (LSP 3.18 editors), textDocument/completion (the
others) and GitHub's own methods (getCompletions, checkStatus, signInInitiate...),
so clients written for GitHub's server work too. Set-up snippets: README.md, "LSP".

Options:
  --stdio          Accepted for clients that pass it (stdio is the only transport)
  --debounce MS    Wait this long after the last keystroke (default 60; also
                   initializationOptions.debounceMs)
  --manual         Answer only explicitly invoked completions
                   (also initializationOptions.manual)
  -h, --help       Show this help

Not signed in, the editor shows a device code to sign in with (as \`copilot login\`).
COPILOT_DEBUG=1 logs to stderr (the editor's LSP log).
`;

/** Parses the arguments after `lsp`; throws a usage {@linkcode CopilotError} on a bad one. */
export function parseLspArgs(args: string[]): LspOptions {
  const options: LspOptions = { help: false, manual: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    if (flag === "-h" || flag === "--help") options.help = true;
    else if (flag === "--stdio") continue;
    else if (flag === "--manual") options.manual = true;
    else if (flag === "--debounce") {
      const raw = inline ?? args[++i];
      const ms = Number(raw);
      if (raw === undefined || raw.trim() === "" || !Number.isInteger(ms) || ms < 0 || ms > 10000) {
        throw usage(`--debounce takes a whole number of ms from 0 to 10000, not '${raw ?? ""}'`);
      }
      options.debounceMs = ms;
    } else {
      throw usage(
        arg.startsWith("-")
          ? `unknown option ${flag} for lsp`
          : `unexpected argument '${arg}' for lsp`,
      );
    }
  }
  return options;
}

function usage(message: string): CopilotError {
  return new CopilotError(`${message} (see \`copilot lsp --help\`)`, { exitCode: ExitCode.Usage });
}
