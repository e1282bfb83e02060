/**
 * Plan and quotas: `GET {api}/copilot_internal/user` with the GitHub token
 * (docs/copilot-protocol.md §2.4). The official clients call it with every
 * exchange; so does the session (once per session token), and the answer is
 * cached beside the session (`copilot_user.json`, keyed by the session
 * token's cache_key.ts key) for `copilot status` and `serve`'s `GET /usage`.
 *
 * @module
 */

import { cacheKey } from "../base/cache_key.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { join } from "../base/paths.ts";
import type { Settings } from "../base/settings.ts";
import { errorMessage } from "../net/http.ts";
import {
  type CopilotInternalSettings,
  getCopilotInternal,
  sessionCredential,
} from "./copilot_internal.ts";
import type { GitHubCredential } from "./credential.ts";
import { readJsonFile, writePrivateFile } from "./secure_file.ts";
import type { Session } from "./session.ts";

/** What the request takes from the settings. */
export type CopilotUserSettings = CopilotInternalSettings;

/** The cache file in the config dir. */
export function copilotUserPath(dir: string): string {
  return join(dir, "copilot_user.json");
}

/**
 * Asks GitHub for the plan and quotas of `credential`'s account; resolves with
 * the answer as sent (all fields optional). Throws a {@linkcode CopilotError}.
 */
export async function fetchCopilotUser(
  credential: GitHubCredential,
  settings: CopilotUserSettings,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { res, host } = await getCopilotInternal(credential, "user", settings, signal);
  if (!res.ok) {
    const said = await errorMessage(res);
    throw new CopilotError(`${host} answered ${res.status} to copilot_internal/user: ${said}`, {
      status: res.status,
      ...(res.status === 401 ? { exitCode: ExitCode.Auth } : {}),
    });
  }
  const body = await res.json().catch(() => undefined);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new CopilotError(`${host} sent a copilot_internal/user answer that is not an object`);
  }
  return body;
}

/** The cached answer for the session token `sessionToken`, if any. */
export async function cachedCopilotUser(
  dir: string | undefined,
  sessionToken: string,
): Promise<Record<string, unknown> | undefined> {
  if (dir === undefined) return undefined; // no config dir (no HOME): nothing cached
  const cache = await readJsonFile(copilotUserPath(dir)).catch(() => undefined) as
    | { session?: unknown; user?: unknown }
    | undefined;
  if (cache?.session !== cacheKey(sessionToken)) return undefined;
  const user = cache.user;
  return typeof user === "object" && user !== null ? user as Record<string, unknown> : undefined;
}

/** Fetches the answer for `credential` and caches it for `sessionToken`. */
export async function recordCopilotUser(
  settings: CopilotUserSettings,
  dir: string | undefined,
  credential: GitHubCredential,
  sessionToken: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const user = await fetchCopilotUser(credential, settings, signal);
  const cache = { session: cacheKey(sessionToken), fetchedAt: Date.now(), user };
  if (dir !== undefined) await writePrivateFile(copilotUserPath(dir), JSON.stringify(cache) + "\n");
  return user;
}

/**
 * The plan and quotas of the current session's account: cached once per
 * session token, fetched (and cached) when the cache is for another one.
 */
export async function copilotUser(
  settings: Settings,
  session: Session,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const current = await session.get(signal);
  const dir = session.cacheDir;
  const cached = await cachedCopilotUser(dir, current.token);
  if (cached) return cached;
  const credential = await sessionCredential(settings, current.fingerprint);
  if (!credential) {
    throw new CopilotError("not logged in; run `copilot login`", { exitCode: ExitCode.Auth });
  }
  return await recordCopilotUser(settings, dir, credential, current.token, signal);
}
