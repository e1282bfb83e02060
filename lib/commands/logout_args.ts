/**
 * The command line of `copilot logout`: its help text and the parser (it takes
 * no options).
 *
 * @module
 */

import { EXIT_CODES, HELP, parseFlags } from "../cli/flags.ts";

/** Help of `copilot logout`. */
export const LOGOUT_HELP = `Usage: copilot logout

Deletes this tool's stored GitHub token and cached session token. Never touches
copilot.vim / copilot.lua files.

${EXIT_CODES}
`;

/** Checks the arguments after `logout` (none but `--help`); misuse throws a usage error (exit 2). */
export function parseLogoutArgs(argv: string[]): Record<never, never> | typeof HELP {
  return parseFlags(argv, "logout", {}) === HELP ? HELP : {};
}
