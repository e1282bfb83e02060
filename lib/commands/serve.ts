/**
 * `copilot serve [PORT]`: a long-lived local proxy for editors, scripts and
 * OpenAI clients. Binds loopback unless told otherwise, keeps the session
 * token fresh in the background, logs one line per request, and shuts down
 * gracefully on SIGINT/SIGTERM.
 *
 * @module
 */

import type { ServeOptions } from "./serve_args.ts";
import type { Settings } from "../base/settings.ts";
import { CopilotClient } from "../copilot/client.ts";
import { findCredentials } from "../auth/mod.ts";
import { ExitCode, outcomeOf } from "../base/errors.ts";
import { redact } from "../base/redact.ts";
import { isLoopback, urlHost } from "../serve/access.ts";
import { createHandler, type Handler } from "../serve/handler.ts";
import type { LaunchModel } from "../agents/launch.ts";
import { keepSessionFresh, listen, listenForStop, shutDown } from "../serve/lifecycle.ts";
import { connectionCap, DEFAULT_LIMITS, type ServeLimits } from "../serve/serve_limits.ts";

/** Longest wait for streams in flight after SIGINT/SIGTERM. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The shutdown wait: `COPILOT_SERVE_GRACE` seconds, never more than {@linkcode SHUTDOWN_GRACE_MS}. */
function shutdownGraceMs(settings: Settings): number {
  const seconds = settings.serveGraceSeconds;
  return seconds === undefined ? SHUTDOWN_GRACE_MS : Math.min(seconds * 1000, SHUTDOWN_GRACE_MS);
}

/** The guards from the settings, the cap kept within the open file limit. */
function serveLimits(settings: Settings): ServeLimits {
  const guards = settings.serveGuards;
  const ms = (seconds: number | undefined, fallback: number) =>
    seconds === undefined ? fallback : Math.round(seconds * 1000);
  return {
    headerMs: ms(guards.headerSeconds, DEFAULT_LIMITS.headerMs),
    idleMs: ms(guards.idleSeconds, DEFAULT_LIMITS.idleMs),
    bodyMs: ms(guards.bodySeconds, DEFAULT_LIMITS.bodyMs),
    maxConnections: connectionCap(
      Math.floor(guards.maxConnections ?? DEFAULT_LIMITS.maxConnections),
    ),
    plain: guards.plainTransport === true,
  };
}

function stderr(line: string): void {
  console.error(line);
}

/**
 * Keeps a bug's stray promise rejection from ending the server (Deno exits on
 * one): it is reported as the internal error it is, and serving goes on.
 */
function surviveStrayRejections(): void {
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const reason = event.reason instanceof Error ? event.reason.message : String(event.reason);
    stderr(`copilot: internal error (unhandled rejection): ${redact(reason).slice(0, 300)}`);
  });
}

/** This machine's name when bound to every interface (accepted in `Host` then), if allowed. */
function wildcardHostname(host: string): string | undefined {
  if (!["0.0.0.0", "::", "[::]"].includes(host)) return undefined;
  try {
    return Deno.hostname();
  } catch {
    // Not allowed: only addresses are accepted in Host then.
    return undefined;
  }
}

/**
 * Why requests will fail for want of a login, or undefined when one is present: not logged in,
 * or a broken login file (its own line, which names the file and says what to do).
 */
async function loginProblem(settings: Settings): Promise<string | undefined> {
  try {
    if ((await findCredentials(settings)).length > 0) return undefined;
  } catch (err) {
    const { message } = outcomeOf(err);
    return `${message ?? "the login cannot be read"}; requests will fail until it is fixed`;
  }
  return "not logged in; requests will fail until you run `copilot login` " +
    "(or set COPILOT_GITHUB_TOKEN)";
}

/** Warns about a non-loopback address without a key, and about a missing or broken login. */
async function warn(host: string, apiKey: string | undefined, settings: Settings): Promise<void> {
  if (!isLoopback(host)) {
    stderr(
      `copilot: warning: ${host} is not a loopback address: anyone who can reach this ` +
        `machine can use your Copilot access${apiKey ? "" : "; set --api-key"}`,
    );
  }
  const problem = await loginProblem(settings);
  if (problem !== undefined) stderr(`copilot: warning: ${problem}`);
}

/** `--print-env`: the agent's set-up for this server on stdout (the key as a reference). */
async function printAgentEnv(
  agent: "claude" | "codex",
  client: CopilotClient,
  baseUrl: string,
  apiKey: string | undefined,
): Promise<void> {
  const { agentLaunch } = await import("../agents/pick.ts");
  const { printCommand, printEnv } = await import("../agents/launch.ts");
  const models = await client.models() as LaunchModel[];
  const launch = agentLaunch(agent, models, { baseUrl, ...(apiKey ? { apiKey } : {}) }, []);
  const run = agent === "codex" ? `# then run: ${printCommand(launch)}\n` : "";
  await Deno.stdout.write(new TextEncoder().encode(printEnv(launch) + run));
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
  surviveStrayRejections();
  // Hundreds of streams may be open at once: small reads keep each at kilobytes.
  const client = new CopilotClient({ settings, maxRetryAfter: 0, readBytes: 16 * 1024 });
  const loggedIn = async () => (await findCredentials(settings)).length > 0;
  const shutdown = new AbortController();
  // The handler needs the port, known only once listening; requests wait for that tick.
  const ready: { handler?: Handler } = {};
  const limits = serveLimits(settings);
  const server = listen(options.host, options.port, () => ready.handler!, stderr, limits);
  const stop = listenForStop();
  const { port } = server.addr;
  const hostname = wildcardHostname(options.host);
  ready.handler = createHandler(client, {
    host: options.host,
    port,
    allowOrigin: options.allowOrigin,
    ...(apiKey ? { apiKey } : {}),
    ...(hostname ? { hostname } : {}),
    ...(options.quiet ? {} : { log: stderr }),
    loggedIn,
    signal: shutdown.signal,
    bodyMs: limits.bodyMs,
  });
  const base = `http://${urlHost(options.host)}:${port}`;
  stderr(`Listening on ${base}/ (OpenAI base URL: ${base}/v1)`);
  await warn(options.host, apiKey, settings);
  if (options.printEnv) await printAgentEnv(options.printEnv, client, base, apiKey);
  keepSessionFresh(client.session, shutdown.signal);

  const name = await stop.signal;
  const graceMs = shutdownGraceMs(settings);
  stderr(`copilot: ${name}: shutting down (requests in flight get up to ${graceMs / 1000} s)`);
  // A second signal stops waiting.
  await shutDown(server, shutdown, graceMs, stop.next());
  return ExitCode.Ok;
}
