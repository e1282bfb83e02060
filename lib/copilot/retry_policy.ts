/**
 * When the client tries a Copilot request again, as one pure function:
 *
 * - 401/403: refresh the session token and try again, once;
 * - 500/502/503/504 and a connection reset before the first byte: try again
 *   after a backoff, at most {@linkcode RetryLimits.maxRetries} times;
 * - 429 with `Retry-After` ≤ {@linkcode RetryLimits.maxRetryAfter} seconds:
 *   wait it out, once (a longer or missing one fails: exit 5);
 * - a timeout, and anything else: fail.
 *
 * A refresh and a 429 wait do not count as retries.
 *
 * @module
 */

/** What happened to one attempt. */
export type AttemptOutcome =
  /** Upstream answered with a failing status. */
  | { kind: "status"; status: number; retryAfter?: number | undefined }
  /** The connection failed or closed before the first byte of the answer. */
  | { kind: "reset" }
  /** No answer (or no first byte) within the timeout. */
  | { kind: "timeout" };

/** What the attempts so far have used up. */
export interface RetryState {
  /** Backoff retries made (after a 5xx or a reset). */
  retries: number;
  /** Whether the session token was refreshed already. */
  refreshed: boolean;
  /** Whether a 429 was waited out already. */
  waited: boolean;
}

/** The state before the first attempt. */
export const FIRST_ATTEMPT: RetryState = { retries: 0, refreshed: false, waited: false };

/** The limits of the policy. */
export interface RetryLimits {
  /** Most retries after a 5xx or a reset. */
  maxRetries: number;
  /** Longest `Retry-After` (seconds) waited out. */
  maxRetryAfter: number;
  /** Delay before the n-th retry (0-based), in milliseconds. */
  backoff: (retry: number) => number;
}

/** The default limits: two retries at 250 ms and 750 ms, a 10 s `Retry-After` at most. */
export const DEFAULT_LIMITS: RetryLimits = {
  maxRetries: 2,
  maxRetryAfter: 10,
  backoff: (retry) => 250 * 3 ** retry,
};

/** What to do after a failed attempt; `state` is the one for the next attempt. */
export type Decision =
  | { action: "retry"; afterMs: number; state: RetryState }
  | { action: "refresh"; state: RetryState }
  | { action: "fail" };

const RETRIED_STATUSES: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/**
 * Decides what follows a failed attempt.
 *
 * @example
 * ```ts
 * import { decide, DEFAULT_LIMITS, FIRST_ATTEMPT } from "./retry_policy.ts";
 * const next = decide({ kind: "status", status: 503 }, FIRST_ATTEMPT, DEFAULT_LIMITS);
 * console.assert(next.action === "retry" && next.afterMs === 250);
 * ```
 */
export function decide(
  outcome: AttemptOutcome,
  state: RetryState,
  limits: RetryLimits = DEFAULT_LIMITS,
): Decision {
  const backoff = (): Decision =>
    state.retries < limits.maxRetries
      ? {
        action: "retry",
        afterMs: limits.backoff(state.retries),
        state: { ...state, retries: state.retries + 1 },
      }
      : { action: "fail" };
  switch (outcome.kind) {
    case "timeout":
      return { action: "fail" };
    case "reset":
      return backoff();
    case "status": {
      const { status, retryAfter } = outcome;
      if (status === 401 || status === 403) {
        return state.refreshed
          ? { action: "fail" }
          : { action: "refresh", state: { ...state, refreshed: true } };
      }
      if (RETRIED_STATUSES.has(status)) return backoff();
      if (
        status === 429 && !state.waited && retryAfter !== undefined &&
        retryAfter <= limits.maxRetryAfter
      ) {
        return { action: "retry", afterMs: retryAfter * 1000, state: { ...state, waited: true } };
      }
      return { action: "fail" };
    }
  }
}
