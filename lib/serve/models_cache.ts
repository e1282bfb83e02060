/**
 * Copilot's model list as `copilot serve` keeps it: fetched on demand, kept
 * for 10 minutes (a failure for 1), refreshed by every `GET /v1/models`.
 *
 * @module
 */

import { CopilotError } from "../base/errors.ts";
import type { UpstreamClient } from "./route.ts";

/** How long a fetched list is kept. */
export const MODELS_TTL_MS = 10 * 60 * 1000;
/** How long a failed fetch is kept before trying again. */
export const MODELS_FAILURE_TTL_MS = 60 * 1000;

/** Resolves with `promise`'s value, or `fallback` after `ms` (the timer is always cleared). */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  // Not @std/async/delay: cancelling its timer would need an AbortController per call.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<F>((resolve) => timer = setTimeout(() => resolve(fallback), ms));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One fetch of the list: when, what it gave, and why it failed if it did. */
interface Entry {
  at: number;
  list: Promise<unknown[] | undefined>;
  failure?: unknown;
}

/**
 * A cache of Copilot's model list; a failed fetch reads as `undefined`.
 *
 * @example
 * ```ts
 * import { ModelsCache } from "./models_cache.ts";
 * const client = { models: () => Promise.resolve([{ id: "gpt-4.1" }]) };
 * const cache = new ModelsCache(client);
 * console.assert((await cache.get())?.length === 1);
 * ```
 */
export class ModelsCache {
  #entry: Entry | undefined;
  readonly #client: Pick<UpstreamClient, "models">;
  readonly #now: () => number;
  readonly #signal: AbortSignal | undefined;

  /** A cache over `client.models`, with `now` as clock; `signal` aborts a fetch in flight. */
  constructor(
    client: Pick<UpstreamClient, "models">,
    now: () => number = Date.now,
    signal?: AbortSignal,
  ) {
    this.#client = client;
    this.#now = now;
    this.#signal = signal;
  }

  /** The list, fetched when absent or stale; never rejects. */
  get(): Promise<unknown[] | undefined> {
    const at = this.#now();
    if (!this.#entry || at - this.#entry.at > MODELS_TTL_MS) {
      const entry: Entry = { at, list: Promise.resolve(undefined) };
      entry.list = this.#client.models(this.#signal).catch((err) => {
        entry.failure = err;
        entry.at = at - MODELS_TTL_MS + MODELS_FAILURE_TTL_MS;
        return undefined;
      });
      this.#entry = entry;
    }
    return this.#entry.list;
  }

  /**
   * The list as {@linkcode get} has it, or a rejection with why it could not be fetched (a broken
   * login, an unreachable Copilot: the user's real problem, not "no such model").
   */
  async list(): Promise<unknown[]> {
    const list = await this.get();
    if (list !== undefined) return list;
    throw this.#entry?.failure ??
      new CopilotError("Copilot's model list could not be read; try again");
  }

  /** Keeps `entries`, fetched just now by someone else. */
  set(entries: unknown[]): void {
    this.#entry = { at: this.#now(), list: Promise.resolve(entries) };
  }
}
