/**
 * The command line of `copilot complete`: its options, help text, flags and
 * the pure parser from arguments to options. Kept apart from `complete.ts` so
 * parsing the command line does not load the client.
 *
 * @module
 */

import {
  MAX_TOKENS_RANGE,
  N_RANGE,
  TEMPERATURE_RANGE,
  TIMEOUT_RANGE,
  TOP_P_RANGE,
} from "../base/limits.ts";
import {
  EXIT_CODES,
  flagName,
  type Flags,
  type FlagSpec,
  HELP,
  listFlag,
  numberFlag,
  parseFlags,
  stringFlag,
  usage,
} from "../cli/flags.ts";

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

/** Help of `copilot complete`. */
export const COMPLETE_HELP = `Usage: copilot complete [OPTIONS] < PROMPT

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
`;

/** The flags of `copilot complete`. */
export const COMPLETE_FLAGS: FlagSpec = {
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
};

/** The number flags and their ranges (the ranges live in base/limits.ts, shared with serve). */
const NUMBERS = {
  "n": N_RANGE,
  "max-tokens": MAX_TOKENS_RANGE,
  "temperature": TEMPERATURE_RANGE,
  "top-p": TOP_P_RANGE,
  "timeout": TIMEOUT_RANGE,
} as const;

/** The number flag `name` of `complete`, checked against its range in {@linkcode NUMBERS}. */
function completeNumber(flags: Flags, name: keyof typeof NUMBERS): number | undefined {
  return numberFlag(flags[name], flagName(name), "complete", NUMBERS[name]);
}

/**
 * Parses the arguments after `complete` into {@linkcode CompleteOptions}, or
 * {@linkcode HELP}; misuse throws a usage error (exit 2).
 *
 * @example
 * ```ts
 * import { parseCompleteArgs } from "./complete_args.ts";
 * const options = parseCompleteArgs(["--lang", "python", "--line"]);
 * console.assert(options !== "help" && options.lang === "python");
 * ```
 */
export function parseCompleteArgs(argv: string[]): CompleteOptions | typeof HELP {
  const flags = parseFlags(argv, "complete", COMPLETE_FLAGS);
  if (flags === HELP) return HELP;
  const options: CompleteOptions = {
    line: Boolean(flags.line),
    stop: listFlag(flags, "stop"),
    n: completeNumber(flags, "n") ?? 1,
    echo: Boolean(flags.echo),
    json: Boolean(flags.json),
    dryRun: Boolean(flags["dry-run"]),
  };
  const maxTokens = completeNumber(flags, "max-tokens");
  const temperature = completeNumber(flags, "temperature");
  const topP = completeNumber(flags, "top-p");
  const timeout = completeNumber(flags, "timeout");
  if (maxTokens !== undefined) options.maxTokens = maxTokens;
  if (temperature !== undefined) options.temperature = temperature;
  if (topP !== undefined) options.topP = topP;
  if (timeout !== undefined) options.timeout = timeout;
  const strings = [
    ["lang", "lang"],
    ["file", "file"],
    ["suffix", "suffix"],
    ["suffix-file", "suffixFile"],
    ["model", "model"],
  ] as const;
  for (const [flag, key] of strings) {
    const value = stringFlag(flags, flag);
    if (value !== undefined) options[key] = value;
  }
  if (options.suffix !== undefined && options.suffixFile !== undefined) {
    throw usage("--suffix and --suffix-file cannot be used together", "complete");
  }
  return options;
}
