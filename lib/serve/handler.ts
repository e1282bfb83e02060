/**
 * The HTTP handler of `copilot serve`, as a function of the Copilot client and
 * the options, so tests can call it in-process or behind a real `Deno.serve`:
 * the access check, then the route (from the table in `routes/table.ts`), then
 * the access log and the CORS headers. Every failure on a path, the access
 * refusal included, is answered in the error shape of the API its table row
 * belongs to (OpenAI's by default, Anthropic's on `/v1/messages`).
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { Access, type AccessOptions, isPreflight } from "./access.ts";
import { isAbort } from "../base/errors.ts";
import { ApiError, upstreamFailure } from "./api_error.ts";
import { BODY_TIMEOUT_MS, CLIENT_LEFT, MAX_BODY_BYTES } from "./body.ts";
import { InFlight } from "./in_flight.ts";
import { ModelsCache } from "./models_cache.ts";
import { RequestNote } from "./request_note.ts";
import {
  errorResponse,
  type ErrorShape,
  forward,
  type Part,
  type Route,
  type RouteContext,
  Streamed,
  type UpstreamClient,
} from "./route.ts";
import { ROUTES } from "./routes/table.ts";
import { redact } from "../base/redact.ts";
import { mapSource, toStream } from "../base/pull.ts";

/** Options of {@linkcode createHandler}: who may call (see {@linkcode AccessOptions}) and the rest. */
export interface ServerOptions extends AccessOptions {
  /** Writes one access-log line per request; absent means quiet. */
  log?: (line: string) => void;
  /** Reports bugs (unexpected errors); default `console.error`. Lines are redacted. */
  report?: (line: string) => void;
  /** Whether a GitHub login is present, for `/healthz`. */
  loggedIn?: () => Promise<boolean>;
  /** Aborts every request in flight (the shutdown deadline). */
  signal?: AbortSignal;
  /** Body size limit in bytes; default {@linkcode MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Time for a whole request body to arrive, in ms; default {@linkcode BODY_TIMEOUT_MS}. */
  bodyMs?: number;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  /** The routing table; default every route of `routes/table.ts`. */
  routes?: Readonly<Record<string, Route>>;
}

/**
 * A `Deno.serve` handler; `left`, when given, aborts when the client goes
 * away before the answer is out (the transport's stand-in for `req.signal`).
 */
export type Handler = (req: Request, left?: AbortSignal) => Promise<Response>;

const encoder = new TextEncoder();

/** What one read brought in, as the bytes of one write. */
function bytesOf(parts: Part[]): Uint8Array {
  if (parts.length === 1) {
    const part = parts[0]!;
    return typeof part === "string" ? encoder.encode(part) : part;
  }
  if (parts.every((part) => typeof part === "string")) return encoder.encode(parts.join(""));
  return concat(parts.map((part) => typeof part === "string" ? encoder.encode(part) : part));
}

/** The line for the log when something went wrong: the message, redacted and on one line. */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return redact(message).replace(/\s+/g, " ").slice(0, 300);
}

/** True when `err` only says the client of `req` left (mid-upload, or before the answer). */
function clientLeft(err: unknown, req: Request, left?: AbortSignal): boolean {
  if (err instanceof ApiError && err.status === CLIENT_LEFT) return true;
  return isAbort(err) && (req.signal.aborted || left?.aborted === true);
}

/** The 400 answer (and log line) of a request whose `Host` makes no URL. */
function badHost(req: Request, started: number, log?: (line: string) => void): Response {
  const err = new ApiError(400, "invalid_host", "The Host header is not a host and port");
  const ms = (performance.now() - started).toFixed(1);
  log?.(`${req.method} ? 400 ${ms}ms (bad Host)`);
  return errorResponse(err);
}

/** The row of `path`: its own, or the `/{id}` row of its parent; undefined when none. */
function findRoute(routes: Readonly<Record<string, Route>>, path: string): Route | undefined {
  if (Object.hasOwn(routes, path)) return routes[path];
  const under = `${path.slice(0, path.lastIndexOf("/"))}/{id}`;
  return path.lastIndexOf("/") > 0 && Object.hasOwn(routes, under) ? routes[under] : undefined;
}

/**
 * The error shape of `path`: its row's, else that of the longest row it lies under
 * (`/v1/messages/batches` answers as `/v1/messages` does), else OpenAI's.
 */
function shapeOf(
  routes: Readonly<Record<string, Route>>,
  route: Route | undefined,
  path: string,
): ErrorShape {
  if (route) return route.errors ?? errorResponse;
  let under: Route | undefined;
  let length = 0;
  for (const [prefix, row] of Object.entries(routes)) {
    if (prefix.length > length && path.startsWith(`${prefix}/`)) {
      [under, length] = [row, prefix.length];
    }
  }
  return under?.errors ?? errorResponse;
}

/**
 * Checks access, then `found` (the route of `path`, if any) and its method (404, 405,
 * `OPTIONS`), and runs it; a failure is thrown, for the caller to answer in the route's shape.
 */
async function dispatch(
  found: Route | undefined,
  access: Access,
  ctx: RouteContext,
  req: Request,
  path: string,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const refusal = await access.check(req);
  if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message);
  if (!found) {
    await req.body?.cancel().catch(() => {});
    throw new ApiError(404, "unknown_path", `Unknown path ${path.slice(0, 100)}`);
  }
  const allow = `${found.method}, OPTIONS`;
  if (req.method === "OPTIONS") {
    const preflight = isPreflight(req) ? access.preflightHeaders(req) : {};
    return new Response(null, { status: 204, headers: { "Allow": allow, ...preflight } });
  }
  if (req.method !== found.method) {
    await req.body?.cancel().catch(() => {});
    throw new ApiError(405, "method_not_allowed", `${path} takes ${found.method}`, {
      headers: { "Allow": allow },
    });
  }
  return await found.handle(ctx, req, signal);
}

/**
 * Creates the `Deno.serve` handler of `copilot serve`. It never throws: every
 * failure becomes an error answer in the shape of its path's API (the table
 * row's `errors`; OpenAI's for rows without one and for unknown paths).
 *
 * @example
 * ```ts ignore
 * import { CopilotClient } from "../copilot/client.ts";
 * import { createHandler } from "./handler.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 8080 }, (req) => handler(req));
 * const handler = createHandler(new CopilotClient({ maxRetryAfter: 0 }), {
 *   host: "127.0.0.1",
 *   port: server.addr.port,
 *   log: console.error,
 * });
 * ```
 */
export function createHandler(client: UpstreamClient, options: ServerOptions): Handler {
  const access = new Access(options);
  const now = options.now ?? Date.now;
  const report = options.report ?? ((line: string) => console.error(line));
  const routes = options.routes ?? ROUTES;
  const ctx: RouteContext = {
    client,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    bodyMs: options.bodyMs ?? BODY_TIMEOUT_MS,
    now,
    models: new ModelsCache(client, now, options.signal),
    loggedIn: options.loggedIn ?? (() => Promise.resolve(false)),
  };
  const inFlight = new InFlight(options.signal);
  const log = options.log;

  return async function handler(req: Request, left?: AbortSignal): Promise<Response> {
    const started = performance.now();
    // Built from `Host`: a malformed one (`127.0.0.1:65536`, `a, b`) makes no URL.
    const path = URL.parse(req.url)?.pathname;
    if (path === undefined) return badHost(req, started, log);
    const route = findRoute(routes, path);
    const shape = shapeOf(routes, route, path);
    let res: Response | Streamed;
    let note: string | undefined;
    // Aborted when the client leaves or at the shutdown deadline.
    const request = inFlight.open(req, left);
    // Quota left and cost, as Copilot's answer states them (the routes' client watches it).
    const answer = new RequestNote();
    try {
      const scoped = { ...ctx, client: answer.meter(client) };
      res = await dispatch(route, access, scoped, req, path, request.signal);
    } catch (err) {
      if (clientLeft(err, req, left)) {
        // The client left before the answer started (maybe mid-upload); nobody reads this.
        res = new Response(null, { status: 499 });
        note = "client left";
      } else {
        const failure = upstreamFailure(err);
        if (failure.status === 500) report(`copilot: internal error: ${describe(err)}`);
        else if (failure.status >= 500) note = describe(failure);
        res = shape(failure);
      }
    }
    const cors = access.corsHeaders(req.headers.get("origin"));
    const status = res instanceof Streamed ? 200 : res.status;
    let logged = false;
    const line = (extra?: string) => {
      if (logged) return;
      logged = true;
      inFlight.close(request);
      if (!log) return;
      const ms = (performance.now() - started).toFixed(1);
      const why = [extra ?? note, answer.text()].filter((part) => part).join("; ");
      log(`${req.method} ${redact(path).slice(0, 200)} ${status} ${ms}ms${why ? ` (${why})` : ""}`);
    };
    if (!(res instanceof Streamed)) {
      // In memory (or passed through as it is): done once handed over.
      for (const [name, value] of Object.entries(cors)) res.headers.set(name, value);
      line();
      return res;
    }
    const watched = mapSource<Part, Part>(res.source, {
      map: forward,
      end(controller) {
        line();
        controller.close();
      },
      fail(err, controller) {
        line(req.signal.aborted || left?.aborted ? "client left" : `cut off: ${describe(err)}`);
        controller.error(err);
      },
      cancel: () => line("client left"),
    });
    return new Response(toStream(watched, bytesOf), { headers: { ...res.headers, ...cors } });
  };
}
