/**
 * The command line of `copilot lsp`: its options, help text, flags and the
 * pure parser from arguments to options. Kept apart from `lsp.ts` so parsing
 * the command line does not load the server.
 *
 * @module
 */

import { DEBOUNCE_RANGE } from "../base/limits.ts";
import { EXIT_CODES, type FlagSpec, HELP, numberFlag, parseFlags } from "../cli/flags.ts";

/** Options of `copilot lsp`. */
export interface LspOptions {
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

${EXIT_CODES}
`;

/** The flags of `copilot lsp`. */
const LSP_FLAGS: FlagSpec = {
  string: ["debounce"],
  // `--stdio` is accepted for clients that pass it: stdio is the only transport.
  boolean: ["stdio", "manual"],
};

/**
 * Parses the arguments after `lsp` into {@linkcode LspOptions}, or
 * {@linkcode HELP}; misuse throws a usage error (exit 2).
 *
 * @example
 * ```ts
 * import { parseLspArgs } from "./lsp_args.ts";
 * console.assert(parseLspArgs(["--debounce", "0"]) !== undefined);
 * ```
 */
export function parseLspArgs(argv: string[]): LspOptions | typeof HELP {
  const flags = parseFlags(argv, "lsp", LSP_FLAGS);
  if (flags === HELP) return HELP;
  const debounceMs = numberFlag(flags.debounce, "--debounce", "lsp", DEBOUNCE_RANGE);
  return { manual: Boolean(flags.manual), ...(debounceMs === undefined ? {} : { debounceMs }) };
}
