/**
 * The life of `copilot serve`'s listener: binding (with bind errors as plain
 * messages), keeping the session token fresh in the background, waiting for
 * SIGINT/SIGTERM, and the graceful shutdown.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import { redact } from "../base/redact.ts";
import { timerDelay } from "../base/sleep.ts";
import { urlHost } from "./access.ts";
import type { Handler } from "./handler.ts";
import { DEFAULT_LIMITS, type ServeLimits } from "./serve_limits.ts";
import { serveGuarded, type Server } from "./transport.ts";

/** Wait before trying again after a failed session refresh. */
export const RETRY_REFRESH_MS = 60_000;

/** How long to wait for the server to close after the deadline cut every request off. */
const CLOSE_WAIT_MS = 500;

/**
 * Binds `host:port` and serves with `handler()` (read per request: the
 * handler may need the port, known only once listening) on the guarded
 * transport of `transport.ts` (timeouts, a connection cap, surviving
 * `EMFILE`). A bind failure becomes a {@linkcode CopilotError} saying why in
 * a few words.
 */
export function listen(
  host: string,
  port: number,
  handler: () => Handler,
  report: (line: string) => void,
  limits: ServeLimits = DEFAULT_LIMITS,
): Server {
  const guarded = async (req: Request, left?: AbortSignal): Promise<Response> => {
    try {
      return await handler()(req, left);
    } catch (err) {
      // The handler answers every failure itself: this is a bug.
      report(
        `copilot: internal error: ${redact(err instanceof Error ? err.message : String(err))}`,
      );
      return new Response("internal error", { status: 500 });
    }
  };
  try {
    return serveGuarded({ hostname: host, port, limits, report }, guarded);
  } catch (err) {
    throw bindError(err, host, port);
  }
}

/** The error to report when binding `host:port` failed with `err`. */
export function bindError(err: unknown, host: string, port: number): unknown {
  const where = `${urlHost(host)}:${port}`;
  if (err instanceof Deno.errors.AddrInUse) {
    return new CopilotError(`cannot listen on ${where}: the port is in use`, { cause: err });
  }
  if (err instanceof Deno.errors.AddrNotAvailable) {
    return new CopilotError(`cannot listen on ${where}: no such address here`, { cause: err });
  }
  if (err instanceof Deno.errors.PermissionDenied) {
    return new CopilotError(`cannot listen on ${where}: permission denied`, {
      exitCode: ExitCode.Usage,
      cause: err,
    });
  }
  return err;
}

/** What {@linkcode keepSessionFresh} needs of the session. */
export interface RefreshableSession {
  /** A valid token (fetched when due), with the epoch second it should be refreshed at. */
  get(signal?: AbortSignal): Promise<{ refreshAt: number }>;
}

/**
 * Refreshes the session token shortly after its refresh time, in the
 * background (the timer never keeps the process alive); the first refresh
 * runs at once, so the first request finds a token ready.
 */
export function keepSessionFresh(session: RefreshableSession, signal: AbortSignal): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (ms: number) => {
    if (signal.aborted) return;
    // A delay past 2^31-1 ms (a refresh time far ahead) would fire at once, over and over.
    const next = setTimeout(tick, timerDelay(ms));
    Deno.unrefTimer(next);
    timer = next;
  };
  const tick = async () => {
    try {
      const { refreshAt } = await session.get(signal);
      schedule(Math.max(1000, refreshAt * 1000 - Date.now() + 100));
    } catch {
      schedule(RETRY_REFRESH_MS);
    }
  };
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  void tick();
}

/** Resolves with the name of the first SIGINT or SIGTERM; `next()` waits for another. */
export function listenForStop(): {
  signal: Promise<string>;
  next: () => Promise<string>;
} {
  const names: Deno.Signal[] = Deno.build.os === "windows"
    ? ["SIGINT", "SIGBREAK"]
    : ["SIGINT", "SIGTERM"];
  let waiter = Promise.withResolvers<string>();
  for (const name of names) {
    try {
      Deno.addSignalListener(name, () => waiter.resolve(name));
    } catch {
      // Not supported on this OS.
    }
  }
  const first = waiter.promise;
  return {
    signal: first,
    next: () => {
      waiter = Promise.withResolvers<string>();
      return waiter.promise;
    },
  };
}

/** Resolves with `promise`, or after `ms`, whichever is first (the timer is always cleared). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, ms));
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Stops accepting, waits up to `graceMs` for requests in flight (or until
 * `again`, a second signal), then aborts what is left with `cutOff` and waits
 * briefly for the server to close.
 */
export async function shutDown(
  server: Pick<Server, "shutdown">,
  cutOff: AbortController,
  graceMs: number,
  again: Promise<unknown>,
): Promise<void> {
  const finished = server.shutdown();
  await settledWithin(Promise.race([finished, again]), graceMs);
  // Whatever is still running is cut off now.
  cutOff.abort(new DOMException("server shutting down", "AbortError"));
  // The listeners stay until the process exits: a signal now must not kill it (exit 143).
  await settledWithin(finished, CLOSE_WAIT_MS);
}
