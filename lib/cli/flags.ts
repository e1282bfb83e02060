/**
 * The flag toolkit every command's args module uses: one `parseArgs` call with
 * the checks every command shares (unknown option, unexpected argument, a value
 * flag without its value, `--help`), number flags, and the misuse error.
 * Misuse throws a {@linkcode CopilotError} with exit 2.
 *
 * @module
 */

import { parseArgs } from "@std/cli/parse-args";
import { inRange, type NumberRange } from "../base/limits.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";

/** The exit codes, as every command's help lists them (the same ones as README.md). */
export const EXIT_CODES = `Exit status:
  0    success
  1    upstream or network failure, or the completion was cut off
  2    misuse: unknown command or option, bad value, empty prompt
  4    not logged in, token rejected, or no Copilot access
  5    rate limited or out of quota: try again later
  6    the file is excluded from Copilot (organisation content exclusion)
  124  no answer within the timeout
  130  interrupted (Ctrl-C)`;

/** The flags of one command, in `parseArgs` terms (`--help`/`-h` are added for every command). */
export interface FlagSpec {
  /** Flags that take a value. */
  string?: string[];
  /** Flags that take none. */
  boolean?: string[];
  /** Value flags that may be repeated (also listed in `string`). */
  collect?: string[];
  /** Short name → long name. */
  alias?: Record<string, string>;
  /** How many positional arguments the command takes (default 0). */
  positional?: number;
}

/** Parsed flags: flag name → value, and the positional arguments in `_`. */
export type Flags = Record<string, unknown> & { _: string[] };

/** What an args parser returns when `--help` (or `-h`) was given. */
export const HELP = "help";

/** The misuse error: `message (see \`copilot COMMAND --help\`)`, exit 2. */
export function usage(message: string, command?: string): CopilotError {
  const hint = command ? `copilot ${command} --help` : "copilot --help";
  return new CopilotError(`${message} (see \`${hint}\`)`, { exitCode: ExitCode.Usage });
}

/** How a flag is written on the command line: `-n`, `--max-tokens`. */
export function flagName(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/**
 * Parses `argv` (after the command name) against `spec`; returns {@linkcode HELP}
 * when help was asked for. Throws the misuse error for an unknown option, an
 * argument too many, or a value flag given without its value.
 */
export function parseFlags(argv: string[], command: string, spec: FlagSpec): Flags | typeof HELP {
  const parsed = parseArgs(argv, {
    string: spec.string ?? [],
    boolean: [...(spec.boolean ?? []), "help"],
    collect: spec.collect ?? [],
    alias: { ...spec.alias, h: "help" },
    unknown: (arg: string) => {
      if (arg.startsWith("-")) {
        throw usage(`unknown option ${arg.split("=")[0]} for ${command}`, command);
      }
      return true;
    },
  }) as Record<string, unknown> & { _: (string | number)[] };
  if (parsed.help) return HELP;
  const positional = parsed._.map(String);
  const maxPositional = spec.positional ?? 0;
  if (positional.length > maxPositional) {
    throw usage(`unexpected argument '${positional[maxPositional]}' for ${command}`, command);
  }
  // parseArgs gives "" to a value flag that has no value: last on the line,
  // followed by an option, or written `--flag=`. (An explicit "" after the
  // flag is not taken as its value but left as an unexpected argument.)
  for (const name of spec.string ?? []) {
    const value = parsed[name];
    if (value === "" || (Array.isArray(value) && value.includes(""))) {
      throw usage(`${flagName(name)} needs a value`, command);
    }
  }
  return { ...parsed, _: positional };
}

/**
 * Parses a number within [min, max] (integers only when `integer`); undefined
 * when absent. `label` names it in the message as the user wrote it (`-n`, `PORT`).
 */
export function numberFlag(
  raw: unknown,
  label: string,
  command: string,
  range: NumberRange,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== "string" || raw.trim() === "" || !inRange(value, range)) {
    const kind = range.integer ? "a whole number" : "a number";
    throw usage(
      `${label} takes ${kind} from ${range.min} to ${range.max}, not '${String(raw)}'`,
      command,
    );
  }
  return value;
}

/** The value of a value flag, or undefined when absent. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

/** The values of a repeatable value flag (empty when absent). */
export function listFlag(flags: Flags, name: string): string[] {
  const value = flags[name];
  return Array.isArray(value) ? value.map(String) : [];
}
