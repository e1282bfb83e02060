/**
 * The command line of `copilot login`: its options, help text, flags and the
 * pure parser from arguments to options.
 *
 * @module
 */

import { EXIT_CODES, type FlagSpec, HELP, parseFlags, stringFlag } from "../cli/flags.ts";

/** Options of `copilot login`. */
export interface LoginOptions {
  /** Do not try to open a browser. */
  noBrowser: boolean;
  /** GitHub Enterprise host (`github.com` when absent). */
  host?: string;
}

/** Help of `copilot login`. */
export const LOGIN_HELP = `Usage: copilot login [--no-browser] [--host HOST]

Logs in to GitHub with the device flow: shows a code and a URL (on stderr),
opens the browser when there is a display, waits for you to confirm, then
stores the token in the config dir (0600).

Options:
  --no-browser   Do not open a browser
  --host HOST    A GitHub Enterprise host (default github.com)
  -h, --help     Show this help

${EXIT_CODES}
`;

/** The flags of `copilot login`. */
export const LOGIN_FLAGS: FlagSpec = { boolean: ["no-browser"], string: ["host"] };

/**
 * Parses the arguments after `login` into {@linkcode LoginOptions}, or
 * {@linkcode HELP}; misuse throws a usage error (exit 2).
 */
export function parseLoginArgs(argv: string[]): LoginOptions | typeof HELP {
  const flags = parseFlags(argv, "login", LOGIN_FLAGS);
  if (flags === HELP) return HELP;
  const host = stringFlag(flags, "host");
  return { noBrowser: Boolean(flags["no-browser"]), ...(host ? { host } : {}) };
}
