/**
 * The command line of `copilot status`: its options, help text and parser.
 *
 * @module
 */

import { EXIT_CODES, HELP, parseFlags } from "../cli/flags.ts";

/** Options of `copilot status`. */
export interface StatusOptions {
  /** One JSON document instead of text. */
  json: boolean;
}

/** Help of `copilot status`. */
export const STATUS_HELP = `Usage: copilot status [--json]

Shows who is logged in, where the token comes from (environment, copilot login,
copilot.vim), whether Copilot access works, the plan, each quota (chat,
completions, premium requests: used, left, unlimited) and when they reset.
Exits 0 when access works.

Options:
      --json   One JSON document for scripts instead of text

${EXIT_CODES}
`;

/** Parses the arguments after `status`; misuse throws a usage error (exit 2). */
export function parseStatusArgs(argv: string[]): StatusOptions | typeof HELP {
  const flags = parseFlags(argv, "status", { boolean: ["json"] });
  return flags === HELP ? HELP : { json: flags.json === true };
}
