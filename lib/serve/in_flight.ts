/**
 * The requests in flight of `copilot serve`, so the shutdown deadline can
 * abort them all with one listener.
 *
 * @module
 */

/**
 * Each request's abort controller, aborted when its client leaves or when the
 * shutdown signal fires.
 *
 * One listener on the long-lived shutdown signal aborts every request in
 * flight: a per-request `AbortSignal.any()` on it would be kept alive by it
 * (Deno keeps dependents, with weak references that cost every request) and
 * leak each request.
 *
 * @example
 * ```ts
 * import { InFlight } from "./in_flight.ts";
 * const shutdown = new AbortController();
 * const inFlight = new InFlight(shutdown.signal);
 * const request = inFlight.open(new Request("http://x/"));
 * shutdown.abort();
 * console.assert(request.signal.aborted);
 * inFlight.close(request);
 * ```
 */
export class InFlight {
  readonly #open = new Set<AbortController>();
  readonly #shutdown: AbortSignal | undefined;

  /** A registry whose requests are all aborted when `shutdown` is. */
  constructor(shutdown?: AbortSignal) {
    this.#shutdown = shutdown;
    shutdown?.addEventListener("abort", () => {
      for (const request of this.#open) request.abort(shutdown.reason);
    }, { once: true });
  }

  /**
   * Registers `req`: the controller aborts when its client leaves (`left`, the
   * transport's word for it, else `req.signal`) or at shutdown.
   */
  open(req: Request, left?: AbortSignal): AbortController {
    const request = new AbortController();
    this.#open.add(request);
    if (this.#shutdown?.aborted) request.abort(this.#shutdown.reason);
    // The transport that gives `left` serves requests whose own signal never aborts.
    const signal = left ?? req.signal;
    signal.addEventListener("abort", () => request.abort(signal.reason), { once: true });
    return request;
  }

  /** Forgets a request that has ended. */
  close(request: AbortController): void {
    this.#open.delete(request);
  }

  /** How many requests are open. */
  get size(): number {
    return this.#open.size;
  }
}
