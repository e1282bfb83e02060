import { assertEquals } from "@std/assert";
import {
  type AttemptOutcome,
  decide,
  DEFAULT_LIMITS,
  FIRST_ATTEMPT,
  type RetryLimits,
  type RetryState,
} from "./retry_policy.ts";

const LIMITS: RetryLimits = { maxRetries: 2, maxRetryAfter: 10, backoff: (n) => 100 * (n + 1) };
const status = (status: number, retryAfter?: number): AttemptOutcome => ({
  kind: "status",
  status,
  retryAfter,
});

/** Every combination of used-up state. */
const STATES: RetryState[] = [0, 1, 2].flatMap((retries) =>
  [false, true].flatMap((refreshed) =>
    [false, true].map((waited) => ({ retries, refreshed, waited }))
  )
);

Deno.test("401 and 403 refresh once, then fail", () => {
  for (const code of [401, 403]) {
    for (const state of STATES) {
      assertEquals(
        decide(status(code), state, LIMITS),
        state.refreshed
          ? { action: "fail" }
          : { action: "refresh", state: { ...state, refreshed: true } },
      );
    }
  }
});

Deno.test("5xx and resets retry twice with the backoff, then fail", () => {
  for (const outcome of [status(500), status(502), status(503), status(504), { kind: "reset" }]) {
    for (const state of STATES) {
      assertEquals(
        decide(outcome as AttemptOutcome, state, LIMITS),
        state.retries < 2
          ? {
            action: "retry",
            afterMs: 100 * (state.retries + 1),
            state: { ...state, retries: state.retries + 1 },
          }
          : { action: "fail" },
      );
    }
  }
});

Deno.test("a whole sequence: refresh, two retries, then the third 503 fails", () => {
  let state = FIRST_ATTEMPT;
  const steps = [status(401), status(503), { kind: "reset" } as const, status(503)].map(
    (outcome) => {
      const decision = decide(outcome, state, LIMITS);
      if (decision.action !== "fail") state = decision.state;
      return decision.action;
    },
  );
  assertEquals(steps, ["refresh", "retry", "retry", "fail"]);
});

Deno.test("429 waits out a short Retry-After once; a long or missing one fails", () => {
  for (const state of STATES) {
    assertEquals(
      decide(status(429, 3), state, LIMITS),
      state.waited
        ? { action: "fail" }
        : { action: "retry", afterMs: 3000, state: { ...state, waited: true } },
    );
    assertEquals(decide(status(429, 10), state, LIMITS).action, state.waited ? "fail" : "retry");
    assertEquals(decide(status(429, 0), state, LIMITS).action, state.waited ? "fail" : "retry");
    assertEquals(decide(status(429, 10.5), state, LIMITS), { action: "fail" });
    assertEquals(decide(status(429, 3600), state, LIMITS), { action: "fail" });
    assertEquals(decide(status(429), state, LIMITS), { action: "fail" });
  }
  // A server that waits nothing out (`serve`: maxRetryAfter 0) still takes a zero wait.
  const serve = { ...LIMITS, maxRetryAfter: 0 };
  assertEquals(decide(status(429, 1), FIRST_ATTEMPT, serve), { action: "fail" });
  assertEquals(decide(status(429, 0), FIRST_ATTEMPT, serve).action, "retry");
});

Deno.test("a timeout is never retried", () => {
  for (const state of STATES) {
    assertEquals(decide({ kind: "timeout" }, state, LIMITS), { action: "fail" });
  }
});

Deno.test("every other status fails at once", () => {
  const handled = new Set([401, 403, 429, 500, 502, 503, 504]);
  for (let code = 300; code < 600; code++) {
    if (handled.has(code)) continue;
    for (const state of STATES) {
      assertEquals(decide(status(code, 1), state, LIMITS), { action: "fail" }, `status ${code}`);
    }
  }
});

Deno.test("the default limits: 250 ms then 750 ms, Retry-After up to 10 s", () => {
  const first = decide(status(502), FIRST_ATTEMPT);
  assertEquals(first, { action: "retry", afterMs: 250, state: { ...FIRST_ATTEMPT, retries: 1 } });
  assertEquals(decide(status(502), { ...FIRST_ATTEMPT, retries: 1 }).action, "retry");
  assertEquals(
    (decide(status(502), { ...FIRST_ATTEMPT, retries: 1 }) as { afterMs: number }).afterMs,
    750,
  );
  assertEquals(decide(status(502), { ...FIRST_ATTEMPT, retries: 2 }).action, "fail");
  assertEquals(DEFAULT_LIMITS.maxRetryAfter, 10);
  assertEquals(decide(status(429, 11), FIRST_ATTEMPT).action, "fail");
});
