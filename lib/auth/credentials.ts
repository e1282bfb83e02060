/**
 * Where the GitHub token comes from, in order: `COPILOT_GITHUB_TOKEN`, this
 * tool's own login, then (read-only) a copilot.vim / copilot.lua login.
 *
 * @module
 */

import { requireConfigDir, type Settings } from "../base/settings.ts";
import type { GitHubCredential } from "./credential.ts";
import { loginPath, readLogin } from "./login_store.ts";

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

/** One place a login was looked for, and what was there. */
export interface SearchedPlace {
  /** What was looked at: a variable or a file. */
  place: string;
  /** What was found there, for people. */
  found: string;
}

/** Whether `path` exists (any kind of file). */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every place {@linkcode findCredentials} looks, in its order, and what each
 * held: for `copilot status` to say why nobody is logged in.
 */
export async function searchedPlaces(settings: CredentialSettings): Promise<SearchedPlace[]> {
  const { host } = settings;
  const places: SearchedPlace[] = [{
    place: "environment: COPILOT_GITHUB_TOKEN",
    found: settings.githubToken ? "set" : "not set",
  }];
  const files: [string, string][] = [];
  if (settings.configDir !== undefined) {
    files.push(["copilot login", loginPath(settings.configDir)]);
  }
  if (settings.pluginConfigDir !== undefined) {
    const { pluginStoreFiles } = await import("./plugin_store.ts");
    for (const path of pluginStoreFiles(settings.pluginConfigDir)) {
      files.push(["copilot.vim", path]);
    }
  }
  for (const [who, path] of files) {
    const found = await exists(path)
      ? (who === "copilot login" ? "a login" : `no usable login for ${host}`)
      : "no such file";
    places.push({ place: `${who}: ${path}`, found });
  }
  return places;
}
