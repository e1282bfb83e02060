/**
 * The command line of `copilot status`: its help text and the parser (it takes
 * no options).
 *
 * @module
 */

import { EXIT_CODES, HELP, parseFlags } from "../cli/flags.ts";

/** Help of `copilot status`. */
export const STATUS_HELP = `Usage: copilot status

Shows who is logged in, where the token comes from (environment, copilot login,
copilot.vim), and whether Copilot access works. Exits 0 when it does.

${EXIT_CODES}
`;

/** Checks the arguments after `status` (none but `--help`); misuse throws a usage error (exit 2). */
export function parseStatusArgs(argv: string[]): Record<never, never> | typeof HELP {
  return parseFlags(argv, "status", {}) === HELP ? HELP : {};
}
