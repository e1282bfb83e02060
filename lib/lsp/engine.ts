/**
 * When and how suggestions are fetched: a debounce for automatic triggers,
 * one request in flight per document (a newer one supersedes it, which
 * aborts its upstream fetch at once and answers it `RequestCancelled`), and a
 * pause after a 429 or an exhausted quota, during which nothing is sent.
 *
 * @module
 */

import type { CompletionRequest } from "../copilot/completion_request.ts";
import { cancelled } from "./rpc.ts";

/** Fetches the suggestions of one request (one text per choice); aborts with `signal`. */
export type Fetcher = (request: CompletionRequest, signal: AbortSignal) => Promise<string[]>;

/** What a failed fetch says about pausing: seconds to stay quiet, if any. */
export type PauseRule = (err: unknown) => number | undefined;

/** Options of an {@linkcode Engine}. */
export interface EngineOptions {
  /** The upstream. */
  fetch: Fetcher;
  /** Debounce of automatic triggers, in milliseconds. */
  debounceMs: number;
  /** Seconds to pause after an error, by error; undefined: no pause. */
  pauseFor: PauseRule;
  /** Clock, in milliseconds. */
  now?: () => number;
}

/** Resolves after `ms`, or rejects with the signal's reason. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", done);
      resolve();
    }, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Schedules the fetches of every document. */
export class Engine {
  #options: EngineOptions;
  #now: () => number;
  #current = new Map<string, AbortController>();
  #pausedUntil = 0;
  /** Number of fetches under way (for the busy status). */
  inFlight = 0;

  /** Creates one. */
  constructor(options: EngineOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The debounce of automatic triggers, in milliseconds. */
  set debounceMs(ms: number) {
    this.#options.debounceMs = ms;
  }

  /** Whether requests are paused (429 or quota), and until when (epoch ms). */
  get pausedUntil(): number | undefined {
    return this.#now() < this.#pausedUntil ? this.#pausedUntil : undefined;
  }

  /**
   * The suggestions for `request` on document `key`. Supersedes the document's
   * earlier request; rejects with `RequestCancelled` when superseded or when
   * `signal` aborts. Resolves with none while paused.
   */
  async complete(
    key: string,
    request: CompletionRequest,
    signal: AbortSignal,
    automatic: boolean,
  ): Promise<string[]> {
    this.#current.get(key)?.abort(cancelled());
    const controller = new AbortController();
    this.#current.set(key, controller);
    const onAbort = () => controller.abort(cancelled());
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      if (automatic && this.#options.debounceMs > 0) {
        await sleep(this.#options.debounceMs, controller.signal);
      }
      if (controller.signal.aborted) throw controller.signal.reason;
      if (this.pausedUntil !== undefined) return [];
      this.inFlight++;
      try {
        return await this.#options.fetch(request, controller.signal);
      } catch (err) {
        if (controller.signal.aborted) throw cancelled();
        const pause = this.#options.pauseFor(err);
        if (pause !== undefined) this.#pausedUntil = this.#now() + pause * 1000;
        throw err;
      } finally {
        this.inFlight--;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      if (this.#current.get(key) === controller) this.#current.delete(key);
    }
  }

  /** Aborts the requests of document `uri` in every lane (closed), or all (shutdown). */
  cancel(uri?: string): void {
    for (const [k, controller] of this.#current) {
      if (uri === undefined || k === uri || k.endsWith(` ${uri}`)) controller.abort(cancelled());
    }
  }
}
