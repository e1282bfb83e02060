/**
 * Where the GitHub token comes from, in order: `COPILOT_GITHUB_TOKEN`, this
 * tool's own login, then (read-only) a copilot.vim / copilot.lua login.
 *
 * @module
 */

import { requireConfigDir, type Settings } from "../base/settings.ts";
import type { GitHubCredential } from "./credential.ts";
import { readLogin } from "./login_store.ts";

export type { GitHubCredential };

/** What {@linkcode findCredentials} reads. */
export type CredentialSettings = Pick<
  Settings,
  "githubToken" | "host" | "configDir" | "pluginConfigDir"
>;

/** The display source of `COPILOT_GITHUB_TOKEN`. */
const ENV_SOURCE = "environment (COPILOT_GITHUB_TOKEN)";

/**
 * Every usable GitHub credential, best first. The environment variable wins
 * alone; the own login wins alone; otherwise every copilot.vim / copilot.lua
 * login for the host (the caller tries the next when one is rejected).
 */
export async function findCredentials(settings: CredentialSettings): Promise<GitHubCredential[]> {
  const { githubToken, host } = settings;
  if (githubToken) return [{ token: githubToken, kind: "env", source: ENV_SOURCE, host }];
  // Without HOME there is no telling where a login would be: say so rather than "not logged in".
  const own = await readLogin(requireConfigDir(settings));
  if (own) {
    return [{
      token: own.token,
      kind: "login",
      source: "copilot login",
      host: own.host,
      ...(own.user ? { user: own.user } : {}),
    }];
  }
  const { readPluginLogins } = await import("./plugin_store.ts");
  const pluginDir = settings.pluginConfigDir;
  return pluginDir === undefined ? [] : await readPluginLogins(host, pluginDir);
}
