/**
 * The Copilot session token: exchanged on demand, cached on disk (0600) so
 * other processes within its life make no exchange, refreshed when
 * `refresh_in` has passed or little life remains, and on demand after a 401.
 * Callers in one process share one exchange in flight; processes share one
 * exchange through a lock file.
 *
 * @module
 */

import { defaultEndpoints } from "../base/config.ts";
import type { GitHubCredential } from "./credential.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { join } from "../base/paths.ts";
import type { Settings } from "../base/settings.ts";
import {
  denoFs,
  ensurePrivateDir,
  fileError,
  type FileSystem,
  readPrivateText,
  removeFile,
  writePrivateFile,
} from "./secure_file.ts";
import type { ExchangedToken } from "./token_exchange.ts";
import { MAX_REFRESH_S, parseCache, type SessionToken } from "./session_cache.ts";

export { MAX_REFRESH_S, parseCache, type SessionToken };

/** Options of a {@linkcode Session}; defaults are the real ones. */
export interface SessionOptions {
  /** The run's settings: config dir, `COPILOT_GITHUB_TOKEN`, where to exchange. */
  settings: Settings;
  /** Config directory holding `session.json`; default `settings.configDir` (none: no disk cache). */
  dir?: string | undefined;
  /** File operations; default Deno's. */
  fs?: FileSystem;
  /** Clock, epoch milliseconds. */
  now?: () => number;
  /** Finds GitHub credentials, best first. */
  findCredentials?: () => Promise<GitHubCredential[]>;
  /** Exchanges one credential. */
  exchange?: (credential: GitHubCredential, signal?: AbortSignal) => Promise<ExchangedToken>;
  /**
   * Runs after each exchange (failures ignored); default: fetch and cache
   * `copilot_internal/user`, as the official clients do (none when `exchange` is given).
   */
  afterExchange?: (credential: GitHubCredential, session: SessionToken) => Promise<unknown>;
}

/** A SHA-256 prefix of a GitHub token: tells which token a session was made from. */
export async function fingerprint(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest).slice(0, 12), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** When to refresh: at `refresh_in`, or earlier when under 5 minutes (or half the life) remain. */
function refreshTime(token: ExchangedToken, now: number): number {
  const byRefreshIn = now + Math.min(token.refreshIn, MAX_REFRESH_S);
  const life = token.expiresAt - now;
  // An expiry already past by our clock means the clocks disagree: trust refresh_in alone.
  return life > 0 ? Math.min(byRefreshIn, token.expiresAt - Math.min(300, life / 2)) : byRefreshIn;
}

/**
 * `promise`, or the abort reason once `signal` aborts. Never leaves a
 * rejection unheard: the promise may be shared with other callers.
 */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/**
 * The session token of the current login.
 *
 * @example
 * ```ts ignore
 * import { Session } from "./session.ts";
 * import { readSettings } from "../base/settings.ts";
 * const session = new Session({ settings: readSettings(Deno.env.toObject()) });
 * const { token, endpoints } = await session.get();
 * ```
 */
export class Session {
  #dir: string | undefined;
  #fs: FileSystem;
  #githubToken: string | undefined;
  #now: () => number;
  #find: () => Promise<GitHubCredential[]>;
  #exchange: (credential: GitHubCredential, signal?: AbortSignal) => Promise<ExchangedToken>;
  #afterExchange: (credential: GitHubCredential, session: SessionToken) => Promise<unknown>;
  #current: SessionToken | undefined;
  #inflight: Promise<SessionToken> | undefined;
  #stale: string | undefined;

  /** Creates a session over the config dir. */
  constructor(options: SessionOptions) {
    const { settings } = options;
    this.#dir = "dir" in options ? options.dir : settings.configDir;
    this.#fs = options.fs ?? denoFs;
    this.#githubToken = settings.githubToken;
    this.#now = options.now ?? Date.now;
    // Loaded only when a token must be exchanged: a warm run reads the cache and nothing else.
    this.#find = options.findCredentials ??
      (async () => (await import("./credentials.ts")).findCredentials(settings));
    this.#exchange = options.exchange ??
      (async (credential, signal) =>
        (await import("./token_exchange.ts")).exchangeToken(credential, settings, signal));
    const dir = this.#dir;
    this.#afterExchange = options.afterExchange ?? (options.exchange ? () => Promise.resolve() : (
      async (credential, session) =>
        (await import("./copilot_user.ts")).recordCopilotUser(
          settings,
          dir,
          credential,
          session.token,
        )
    ));
  }

  /**
   * The directory of the session cache and of the caches kept beside it
   * (models, plan and quotas, exclusion rules); undefined without a config dir.
   */
  get cacheDir(): string | undefined {
    return this.#dir;
  }

  /** Path of the session cache file; undefined without a config dir. */
  get cachePath(): string | undefined {
    return this.#dir === undefined ? undefined : join(this.#dir, "session.json");
  }

  /**
   * A usable session token, from memory, the disk cache, or a new exchange.
   * Callers share one exchange in flight; `signal` stops only this caller's
   * wait, never the exchange the others wait for.
   */
  async get(signal?: AbortSignal): Promise<SessionToken> {
    if (this.#current && this.#fresh(this.#current)) return this.#current;
    if (!this.#inflight) {
      // A fresh token on disk needs no exchange, and nothing to wait for.
      const cached = await this.#readCache();
      if (cached) return this.#current = cached;
    }
    // Held in a local: the shared field is cleared when the exchange settles.
    let inflight = this.#inflight;
    if (!inflight) {
      inflight = this.#inflight = this.#load()
        .then((loaded) => this.#current = loaded)
        .finally(() => this.#inflight = undefined);
      // Every caller may have stopped waiting (aborted) by the time it fails.
      inflight.catch(() => {});
    }
    return signal ? await unlessAborted(inflight, signal) : await inflight;
  }

  /** The cached session token if a fresh one exists; never exchanges. */
  async cached(): Promise<SessionToken | undefined> {
    return this.#current ?? await this.#readCache();
  }

  /** Reports that upstream rejected `token` (401/403): the next {@linkcode get} exchanges again. */
  invalidate(token: string): void {
    this.#stale = token;
    if (this.#current?.token === token) this.#current = undefined;
  }

  /** Deletes the cached session token (login, logout); true when there was one. */
  async clear(): Promise<boolean> {
    this.#current = undefined;
    const path = this.cachePath;
    return path === undefined ? false : await removeFile(path, this.#fs);
  }

  #fresh(cache: SessionToken): boolean {
    return cache.token !== this.#stale && this.#now() / 1000 < cache.refreshAt;
  }

  async #readCache(): Promise<SessionToken | undefined> {
    const path = this.cachePath;
    if (path === undefined) return undefined;
    // A cache that cannot be read or parsed is no cache: writing a new one says what is wrong.
    const text = await readPrivateText(path, this.#fs).catch(() => undefined);
    let data: unknown;
    try {
      data = text === undefined ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
    const cache = parseCache(data, this.#now() / 1000);
    if (!cache || !this.#fresh(cache)) return undefined;
    // The cache belongs to one GitHub token: with COPILOT_GITHUB_TOKEN set it must be that one,
    // without it one from a store (a cache from before `kind` existed is made again).
    const fromEnv = this.#githubToken;
    const mismatch = fromEnv
      ? cache.fingerprint !== await fingerprint(fromEnv)
      : cache.kind !== "login" && cache.kind !== "plugin";
    if (mismatch) return undefined;
    return cache;
  }

  async #load(): Promise<SessionToken> {
    const cached = await this.#readCache();
    if (cached) return cached;
    const credentials = await this.#find();
    if (credentials.length === 0) {
      throw new CopilotError("not logged in; run `copilot login`", { exitCode: ExitCode.Auth });
    }
    return await this.#locked(async () => {
      // Another process may have refreshed while this one waited for the lock.
      return await this.#readCache() ?? await this.#exchangeFirstAccepted(credentials);
    });
  }

  async #exchangeFirstAccepted(credentials: GitHubCredential[]): Promise<SessionToken> {
    for (const [i, credential] of credentials.entries()) {
      try {
        const session = await this.#store(await this.#exchange(credential), credential);
        await this.#afterExchange(credential, session).catch(() => {});
        return session;
      } catch (err) {
        const rejected = err instanceof CopilotError && (err.status === 401 || err.status === 404);
        if (!rejected || i === credentials.length - 1) throw err;
      }
    }
    throw new Error("unreachable");
  }

  async #store(exchanged: ExchangedToken, credential: GitHubCredential): Promise<SessionToken> {
    const fallback = defaultEndpoints(credential.host);
    const cache: SessionToken = {
      token: exchanged.token,
      endpoints: {
        api: exchanged.endpoints.api ?? fallback.api,
        proxy: exchanged.endpoints.proxy ?? fallback.proxy,
      },
      host: credential.host,
      kind: credential.kind,
      source: credential.source,
      refreshAt: refreshTime(exchanged, this.#now() / 1000),
      expiresAt: exchanged.expiresAt,
      fingerprint: await fingerprint(credential.token),
    };
    const path = this.cachePath;
    if (path !== undefined) await writePrivateFile(path, JSON.stringify(cache) + "\n", this.#fs);
    return cache;
  }

  /** Runs `fn` holding an exclusive lock shared with other processes. */
  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#dir === undefined) return await fn();
    await ensurePrivateDir(this.#dir, this.#fs);
    const path = join(this.#dir, "session.lock");
    let lock: Deno.FsFile;
    try {
      lock = await this.#fs.open(path, { create: true, write: true, mode: 0o600 });
    } catch (err) {
      throw fileError("open", path, err);
    }
    using _ = lock;
    await lock.lock(true);
    return await fn();
  }
}
