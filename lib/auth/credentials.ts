/**
 * Where the GitHub token comes from, in order: `COPILOT_GITHUB_TOKEN`, this
 * tool's own login, then (read-only) a copilot.vim / copilot.lua login.
 *
 * @module
 */

import { DEFAULT_HOST, env } from "../base/config.ts";
import type { GitHubCredential } from "./credential.ts";
import { readLogin } from "./login_store.ts";

export type { GitHubCredential };

/**
 * Every usable GitHub credential, best first. The environment variable wins
 * alone; the own login wins alone; otherwise every copilot.vim / copilot.lua
 * login for the host (the caller tries the next when one is rejected).
 */
export async function findCredentials(): Promise<GitHubCredential[]> {
  const fromEnv = env("COPILOT_GITHUB_TOKEN");
  const host = env("COPILOT_HOST") ?? DEFAULT_HOST;
  if (fromEnv) return [{ token: fromEnv, source: "environment (COPILOT_GITHUB_TOKEN)", host }];
  const own = await readLogin();
  if (own) {
    return [{ token: own.token, source: "copilot login", host: own.host, user: own.user }];
  }
  const { readPluginLogins } = await import("./plugin_store.ts");
  return await readPluginLogins(host);
}
