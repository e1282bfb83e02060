/**
 * The command line of `copilot models`: its options, help text and parser.
 *
 * @module
 */

import { EXIT_CODES, HELP, parseFlags } from "../cli/flags.ts";

/** Options of `copilot models`. */
export interface ModelsOptions {
  /** One JSON document instead of text. */
  json: boolean;
}

/** Help of `copilot models`. */
export const MODELS_HELP = `Usage: copilot models [--json]

Lists Copilot's models (GET /models): id, type (chat, completion, embeddings),
vendor and notes, and marks the ones in use: the completion model of
\`copilot complete\` (the first completion model listed, unless --model or
COPILOT_MODEL say otherwise) and the chat default of \`copilot serve\`.

Options:
      --json   One JSON document for scripts instead of text

${EXIT_CODES}
`;

/** Parses the arguments after `models`; misuse throws a usage error (exit 2). */
export function parseModelsArgs(argv: string[]): ModelsOptions | typeof HELP {
  const flags = parseFlags(argv, "models", { boolean: ["json"] });
  return flags === HELP ? HELP : { json: flags.json === true };
}
