/**
 * `copilot serve [PORT]`: a long-lived local proxy for editors, scripts and
 * OpenAI clients. Binds loopback unless told otherwise, keeps the session
 * token fresh in the background, logs one line per request, and shuts down
 * gracefully on SIGINT/SIGTERM.
 *
 * @module
 */

import type { ServeOptions } from "../cli/parse.ts";
import type { Settings } from "../base/settings.ts";
import { CopilotClient } from "../copilot/client.ts";
import { findCredentials } from "../auth/mod.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { isLoopback, urlHost } from "../serve/access.ts";
import { redact } from "../base/redact.ts";
import { createHandler, type Handler } from "../serve/handler.ts";
import type { Session } from "../auth/session.ts";

/** Longest wait for streams in flight after SIGINT/SIGTERM. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The shutdown wait: `COPILOT_SERVE_GRACE` seconds, never more than {@linkcode SHUTDOWN_GRACE_MS}. */
function shutdownGraceMs(settings: Settings): number {
  const seconds = settings.serveGraceSeconds;
  return seconds === undefined ? SHUTDOWN_GRACE_MS : Math.min(seconds * 1000, SHUTDOWN_GRACE_MS);
}

const RETRY_REFRESH_MS = 60_000;

function stderr(line: string): void {
  console.error(line);
}

/**
 * Refreshes the session token shortly after its refresh time, in the
 * background (the timer never keeps the process alive); the first refresh
 * runs at once, so the first request finds a token ready.
 */
function keepSessionFresh(session: Session, signal: AbortSignal): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (ms: number) => {
    if (signal.aborted) return;
    const next = setTimeout(tick, ms);
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
function listenForStop(): {
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

/**
 * Runs the server until SIGINT/SIGTERM, then waits up to 10 s for requests in
 * flight and resolves with 0.
 *
 * @example
 * ```ts ignore
 * import { serve } from "./serve.ts";
 * import { readSettings } from "../base/settings.ts";
 * const options = { port: 8080, host: "127.0.0.1", allowOrigin: [], quiet: false };
 * Deno.exit(await serve(options, readSettings(Deno.env.toObject())));
 * ```
 */
export async function serve(options: ServeOptions, settings: Settings): Promise<number> {
  const apiKey = options.apiKey ?? settings.serveKey;
  // Hundreds of streams may be open at once: small reads keep each at kilobytes.
  const client = new CopilotClient({ settings, maxRetryAfter: 0, readBytes: 16 * 1024 });
  const loggedIn = async () => (await findCredentials(settings)).length > 0;
  const shutdown = new AbortController();
  // The handler needs the port, known only once listening; requests wait for that tick.
  const ready: { handler?: Handler } = {};
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: options.host,
      port: options.port,
      onListen() {},
      onError(err) {
        stderr(
          `copilot: internal error: ${redact(err instanceof Error ? err.message : String(err))}`,
        );
        return new Response("internal error", { status: 500 });
      },
    }, (req) => ready.handler!(req));
  } catch (err) {
    const where = `${urlHost(options.host)}:${options.port}`;
    if (err instanceof Deno.errors.AddrInUse) {
      throw new CopilotError(`cannot listen on ${where}: the port is in use`, { cause: err });
    }
    if (err instanceof Deno.errors.AddrNotAvailable) {
      throw new CopilotError(`cannot listen on ${where}: no such address here`, { cause: err });
    }
    if (err instanceof Deno.errors.PermissionDenied) {
      throw new CopilotError(`cannot listen on ${where}: permission denied`, {
        exitCode: ExitCode.Usage,
        cause: err,
      });
    }
    throw err;
  }
  const stop = listenForStop();
  const { port } = server.addr;
  const wildcard = ["0.0.0.0", "::", "[::]"].includes(options.host);
  let hostname: string | undefined;
  if (wildcard) {
    try {
      hostname = Deno.hostname();
    } catch {
      // Not allowed: only addresses are accepted in Host then.
    }
  }
  ready.handler = createHandler(client, {
    host: options.host,
    port,
    allowOrigin: options.allowOrigin,
    ...(apiKey ? { apiKey } : {}),
    ...(hostname ? { hostname } : {}),
    ...(options.quiet ? {} : { log: stderr }),
    loggedIn,
    signal: shutdown.signal,
  });
  stderr(`Listening on http://${urlHost(options.host)}:${port}/`);
  if (!isLoopback(options.host)) {
    stderr(
      `copilot: warning: ${options.host} is not a loopback address: anyone who can reach this ` +
        `machine can use your Copilot access${apiKey ? "" : "; set --api-key"}`,
    );
  }
  if (!await loggedIn().catch(() => false)) {
    stderr("copilot: warning: not logged in; requests will fail until you run `copilot login`");
  }
  keepSessionFresh(client.session, shutdown.signal);

  const name = await stop.signal;
  const graceMs = shutdownGraceMs(settings);
  stderr(`copilot: ${name}: shutting down (requests in flight get up to ${graceMs / 1000} s)`);
  const finished = server.shutdown();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs));
  // A second signal stops waiting.
  const again = stop.next();
  await Promise.race([finished, deadline, again]);
  clearTimeout(timer);
  // Whatever is still running is cut off now.
  shutdown.abort(new DOMException("server shutting down", "AbortError"));
  // The listeners stay until the process exits: a signal now must not kill it (exit 143).
  const grace = new Promise<void>((resolve) => timer = setTimeout(resolve, 500));
  await Promise.race([finished, grace]);
  clearTimeout(timer);
  return ExitCode.Ok;
}
