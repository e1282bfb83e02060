/**
 * The HTTP transport of `copilot serve`: accepting connections with the
 * guards `Deno.serve` lacks, so that no client can make the server exit.
 *
 * Why not plain `Deno.serve` (Deno 2.9): it has no cap on open connections,
 * no idle or header timeout, and no custom listener; when `accept()` fails
 * with `EMFILE` its `finished` promise rejects (unhandled: the process exits
 * 1) and its listener is closed for good. So, when the runtime still has it,
 * connections are accepted here (`Deno.listen`) and each is served with
 * `Deno.serveHttp` (soft-removed in Deno 2: gone from the types, present at
 * run time without flags). That gives:
 *
 * - a cap on open connections: one over it is answered 503 (`Retry-After`)
 *   and closed, the write awaited at most 100 ms, before the next accept;
 * - a header timeout (first request of a connection) and an idle timeout
 *   (between keep-alive requests), by racing `nextRequest()` with a timer;
 * - an accept loop that survives `EMFILE` and friends (backoff, retry).
 *
 * Feature detection: when a future Deno drops `Deno.serveHttp`, this falls
 * back to `Deno.serve`, restarted when its accept loop dies (every server
 * object is kept for the shutdown); the body deadline of `body.ts` still
 * bounds trickling bodies there, but nothing bounds idle connections.
 * `COPILOT_SERVE_TRANSPORT=deno` (`limits.plain`) picks that fallback too.
 *
 * The cost: `Deno.serveHttp` pumps a streamed answer through JavaScript more
 * slowly than `Deno.serve` (a bare SSE handler under wrk: ~3-4k req/s against
 * ~10-17k on this 2-core machine). In `copilot serve`, where the proxying
 * itself dominates, `deno task bench:serve` on a quiet machine measured both
 * transports alike: 0.93x of direct throughput, +2.8 / +2.9 ms median added
 * (README, Benchmarks).
 * The guards are the default because without them any client on the network
 * path can make the server exit or hold its memory; trusted, throughput-bound
 * setups can opt out.
 *
 * Why this file is long: the two transports (own loop, restarted fallback)
 * share their types, the `Server` contract and the helpers; apart, each half
 * would restate them.
 *
 * @module
 */

import type { ServeLimits } from "./serve_limits.ts";
import { watchdog } from "../net/watchdog.ts";

/** The request event of `Deno.serveHttp` (not in Deno 2's types). */
interface RequestEvent {
  request: Request;
  respondWith(r: Response | Promise<Response>): Promise<void>;
}
/** A connection served by `Deno.serveHttp`. */
interface HttpConn {
  nextRequest(): Promise<RequestEvent | null>;
  close(): void;
}
type ServeHttp = (conn: Deno.Conn) => HttpConn;

/**
 * What the transport serves: `left` aborts when the client goes away before
 * the answer is out (`request.signal` does under `Deno.serve` only).
 */
export type GuardedHandler = (req: Request, left?: AbortSignal) => Promise<Response>;

/** The running server, as `copilot serve` needs it. */
export interface Server {
  /** Where it listens. */
  addr: Deno.NetAddr;
  /** Stops accepting; resolves once every connection is done (idle ones are closed at once). */
  shutdown(): Promise<void>;
  /** Counters, for tests and the benchmark. */
  stats(): TransportStats;
}

/** What the transport counted. */
export interface TransportStats {
  /** Connections open now. */
  open: number;
  /** Connections refused with 503 (over the cap). */
  refused: number;
  /** Connections closed for a header or idle timeout. */
  timedOut: number;
  /** Failed accepts (`EMFILE`...), survived. */
  acceptErrors: number;
}

/** Options of {@linkcode serveGuarded}. */
export interface TransportOptions {
  /** Address to bind. */
  hostname: string;
  /** Port to bind (0: any). */
  port: number;
  /** Timeouts and the connection cap (already within the fd limit: see `connectionCap`). */
  limits: ServeLimits;
  /** Reports what the transport did about trouble (one line each). */
  report: (line: string) => void;
}

const BUSY = new TextEncoder().encode(
  "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 28\r\n" +
    "connection: close\r\nretry-after: 1\r\n\r\ntoo many connections; retry\n",
);
/** How long an answer gets to leave before its connection is closed by the server. */
const LINGER_MS = 200;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Deno.serveHttp` when this runtime still has it. */
function serveHttpOf(): ServeHttp | undefined {
  const fn = (Deno as unknown as { serveHttp?: ServeHttp }).serveHttp;
  return typeof fn === "function" ? fn.bind(Deno) : undefined;
}

/**
 * Binds `hostname:port` (throws the bind error as `Deno.listen` does) and
 * serves `handler`, which must not throw.
 */
export function serveGuarded(
  options: TransportOptions,
  handler: GuardedHandler,
): Server {
  const serveHttp = options.limits.plain ? undefined : serveHttpOf();
  return serveHttp ? new OwnLoop(options, serveHttp, handler) : restarting(options, handler);
}

/** `promise`, or "timeout" after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let fire = (_: "timeout") => {};
  const timeout = new Promise<"timeout">((resolve) => fire = resolve);
  // On the shared timer (net/watchdog.ts): no timer of its own per request.
  const dog = watchdog(ms, () => fire("timeout"));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    dog.stop();
  }
}

/** The connection's next request, or "timeout" after `ms`. */
function nextWithin(http: HttpConn, ms: number): Promise<RequestEvent | null | "timeout"> {
  return within(http.nextRequest().catch(() => null), ms);
}

/** The transport on `Deno.listen` + `Deno.serveHttp`. */
class OwnLoop implements Server {
  readonly #listener: Deno.Listener;
  readonly #options: TransportOptions;
  readonly #serveHttp: ServeHttp;
  readonly #handler: GuardedHandler;
  readonly #stats: TransportStats = { open: 0, refused: 0, timedOut: 0, acceptErrors: 0 };
  readonly #idle = new Set<HttpConn>();
  readonly #drained = Promise.withResolvers<void>();
  #stopping = false;

  /** Binds and starts accepting. */
  constructor(options: TransportOptions, serveHttp: ServeHttp, handler: GuardedHandler) {
    this.#listener = Deno.listen({ hostname: options.hostname, port: options.port });
    this.#options = options;
    this.#serveHttp = serveHttp;
    this.#handler = handler;
    void this.#acceptLoop();
  }

  /** Where it listens. */
  get addr(): Deno.NetAddr {
    return this.#listener.addr as Deno.NetAddr;
  }

  /** Stops accepting and closes idle connections; resolves once every connection is done. */
  shutdown(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      closeQuietly(this.#listener);
      for (const http of this.#idle) closeQuietly(http);
      if (this.#stats.open === 0) this.#drained.resolve();
    }
    return this.#drained.promise;
  }

  /** Counters. */
  stats(): TransportStats {
    return { ...this.#stats };
  }

  /** Accepts until stopped: over the cap a 503, on `EMFILE` and friends a pause. */
  async #acceptLoop(): Promise<void> {
    for (let backoff = 10; !this.#stopping;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
        backoff = 10;
      } catch (err) {
        if (this.#stopping || err instanceof Deno.errors.BadResource) return;
        // EMFILE, ENFILE, ECONNABORTED: the listener itself is fine; wait and retry.
        if (this.#stats.acceptErrors++ % 100 === 0) {
          this.#options.report(`copilot: cannot accept a connection (retrying): ${errorName(err)}`);
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 1000);
        continue;
      }
      if (this.#stats.open >= this.#options.limits.maxConnections) {
        this.#stats.refused++;
        await Promise.race([conn.write(BUSY).catch(() => 0), sleep(100)]);
        closeQuietly(conn);
        continue;
      }
      this.#stats.open++;
      // As Deno.serve does: small writes (SSE events) must not wait for the peer's delayed ACK.
      (conn as Deno.TcpConn).setNoDelay?.(true);
      void this.#serveConn(conn);
    }
  }

  /** Serves one connection's requests in turn, until it ends, times out, or the server stops. */
  async #serveConn(conn: Deno.Conn): Promise<void> {
    const http = this.#serveHttp(conn);
    let next = nextWithin(http, this.#options.limits.headerMs);
    try {
      while (!this.#stopping) {
        this.#idle.add(http);
        const event = await next.finally(() => this.#idle.delete(http));
        if (event === null) break;
        if (event === "timeout") {
          this.#stats.timedOut++;
          break;
        }
        const status = await this.#exchange(http, event, (following) => next = following);
        if (status === 408 || status === 413 || this.#stopping) {
          // Ending the connection here: `respondWith` resolves a moment before the last bytes
          // are written (and a refused body may still trickle in), so give the answer a moment
          // to leave before closing (closing at once cut streams at shutdown).
          await Promise.race([next, sleep(LINGER_MS)]);
          break;
        }
      }
    } catch {
      // A broken connection (reset, bad request line): it simply ends.
    } finally {
      this.#idle.delete(http);
      closeQuietly(http);
      if (--this.#stats.open === 0 && this.#stopping) this.#drained.resolve();
    }
  }

  /**
   * Answers one request. The connection's next request is awaited meanwhile
   * (handed to `setNext`, bounded by the idle timeout once this answer is
   * out): its end (`null`) before the answer is out means the client left,
   * which aborts the handler's `left` signal, as `Deno.serve` aborts
   * `request.signal`.
   */
  async #exchange(
    http: HttpConn,
    event: RequestEvent,
    setNext: (next: Promise<RequestEvent | null | "timeout">) => void,
  ): Promise<number> {
    const left = new AbortController();
    let answered = false;
    const following = http.nextRequest().catch(() => null);
    void following.then((ev) => {
      if (ev === null && !answered) left.abort(new DOMException("client left", "AbortError"));
    });
    try {
      const res = await this.#handler(event.request, left.signal);
      // A client that left makes this reject: nothing to do about it.
      await event.respondWith(res).catch(() => {});
      return res.status;
    } finally {
      answered = true;
      setNext(within(following, this.#options.limits.idleMs));
    }
  }
}

/** Closes `resource`, which may be closed already. */
function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed.
  }
}

/** The error's class name and message, on one line. */
function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}`.replace(/\s+/g, " ") : String(err);
}

/** The fallback: `Deno.serve`, listening again whenever its accept loop dies. */
function restarting(
  options: TransportOptions,
  handler: GuardedHandler,
): Server {
  const servers = new Set<Deno.HttpServer<Deno.NetAddr>>();
  const stats: TransportStats = { open: 0, refused: 0, timedOut: 0, acceptErrors: 0 };
  let stopping = false;
  const start = (port: number): Deno.HttpServer<Deno.NetAddr> => {
    const server = Deno.serve(
      {
        hostname: options.hostname,
        port,
        onListen() {},
        // Reached when an answer's body fails mid-stream (a stream cut at the shutdown
        // deadline): the handler has logged that already, so no second "error" line.
        onError: () => new Response(null, { status: 500 }),
      },
      (req) => handler(req),
    );
    servers.add(server);
    server.finished.then(() => {}, (err) => {
      // Its accepted connections are still served; only the listener is gone.
      stats.acceptErrors++;
      options.report(`copilot: cannot accept a connection (listening again): ${errorName(err)}`);
      void again(port, 50);
    });
    return server;
  };
  const again = async (port: number, delay: number): Promise<void> => {
    await sleep(delay);
    if (stopping) return;
    try {
      start(port);
    } catch {
      await again(port, Math.min(delay * 2, 1000));
    }
  };
  const first = start(options.port);
  return {
    addr: first.addr,
    async shutdown() {
      stopping = true;
      await Promise.allSettled([...servers].map((server) => server.shutdown()));
    },
    stats: () => ({ ...stats }),
  };
}
