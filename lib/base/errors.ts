/**
 * The one error type that reaches users: a one-line message and an exit code.
 *
 * @module
 */

import { redact } from "./redact.ts";

/** Exit statuses of the `copilot` command. */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** Upstream or network failure, or an incomplete answer. */
  Failure: 1,
  /** Misuse: unknown command or flag, bad value, empty prompt. */
  Usage: 2,
  /** Not logged in, token rejected, or no Copilot access. */
  Auth: 4,
  /** Rate limited or out of quota: try again later. */
  RateLimited: 5,
  /** The file is excluded from Copilot by its organisation's content exclusion rules. */
  Excluded: 6,
  /** No answer within the timeout. */
  Timeout: 124,
  /** Interrupted by Ctrl-C. */
  Interrupted: 130,
} as const;

/** One of the {@linkcode ExitCode} values. */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/** Options of a {@linkcode CopilotError}. */
export interface CopilotErrorOptions {
  /** Exit status of the process; default {@linkcode ExitCode.Failure}. */
  exitCode?: ExitCode;
  /** HTTP status of the upstream answer that caused it, if any. */
  status?: number;
  /** Seconds the upstream asked to wait (`Retry-After`), if any. */
  retryAfter?: number;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failure the user can act on. `message` is shown as is, on one line.
 *
 * @example
 * ```ts
 * import { CopilotError, ExitCode } from "./errors.ts";
 * const err = new CopilotError("run `copilot login`", { exitCode: ExitCode.Auth });
 * console.assert(err.exitCode === 4);
 * ```
 */
export class CopilotError extends Error {
  /** Exit status of the process. */
  readonly exitCode: ExitCode;
  /** HTTP status of the upstream answer, if any. */
  readonly status: number | undefined;
  /** Seconds the upstream asked to wait, if any. */
  readonly retryAfter: number | undefined;

  /** Creates an error with a user-facing message. */
  constructor(message: string, options: CopilotErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "CopilotError";
    this.exitCode = options.exitCode ?? ExitCode.Failure;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
  }
}

/** True when `err` is an abort caused by Ctrl-C or a caller's signal. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === "AbortError";
}

/** What the process prints and how it exits after a failure. */
export interface Outcome {
  /** One line for stderr, or undefined to say nothing. */
  message: string | undefined;
  /** Exit status. */
  exitCode: number;
}

/**
 * Maps any failure to its one-line message and exit status: the single place
 * where errors become what the user sees. A bug shows its stack only with
 * `debug` (`COPILOT_DEBUG`) set.
 */
export function outcomeOf(err: unknown, debug = false): Outcome {
  if (err instanceof CopilotError) return { message: err.message, exitCode: err.exitCode };
  if (isAbort(err)) return { message: undefined, exitCode: ExitCode.Interrupted };
  // A closed stdout (`| head`) is the reader's choice, not a failure.
  if (err instanceof Deno.errors.BrokenPipe) return { message: undefined, exitCode: ExitCode.Ok };
  if (err instanceof Deno.errors.NotCapable) {
    return { message: `missing permission: ${err.message}`, exitCode: ExitCode.Failure };
  }
  const detail = err instanceof Error
    ? (debug ? err.stack ?? err.message : err.message)
    : String(err);
  // A runtime message may quote its input: never let a token through.
  return { message: `internal error: ${redact(detail)}`, exitCode: ExitCode.Failure };
}
