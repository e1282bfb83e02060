/**
 * Where things are: upstream URLs for a GitHub host and the OS directories.
 * Pure functions over values (an environment record, the OS), so they are
 * tested for every OS on any OS; {@linkcode readSettings} in settings.ts is
 * the one caller that feeds them the real environment.
 *
 * @module
 */

import { pathOps } from "./paths.ts";

/** The default GitHub host. */
export const DEFAULT_HOST = "github.com";

/** An environment as a record; an empty value counts as unset. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The OS family, as `Deno.build.os` names it (anything not windows/darwin is treated as Linux). */
export type Os = typeof Deno.build.os;

/** URL overrides of the three hops (`COPILOT_GITHUB_URL`, `COPILOT_API_URL`, `COPILOT_PROXY_URL`). */
export interface UrlOverrides {
  /** Replaces `https://{host}`. */
  github?: string;
  /** Replaces the REST API base. */
  api?: string;
  /** Replaces the completions base. */
  proxy?: string;
}

/** Base URLs of the three hops for one GitHub host. */
export interface Upstreams {
  /** Base of the device flow (`/login/device/code`, `/login/oauth/access_token`). */
  github: string;
  /** Base of `/user` and `/copilot_internal/v2/token`. */
  api: string;
  /** Base of the completions endpoint, if overridden (else the session token's `endpoints.proxy`). */
  proxy: string | undefined;
}

/**
 * Base URLs for `host` (github.com or a GitHub Enterprise host), overrides applied.
 *
 * @example
 * ```ts
 * import { upstreams } from "./config.ts";
 * console.log(upstreams("octo.ghe.com").api); // https://api.octo.ghe.com
 * ```
 */
export function upstreams(host: string = DEFAULT_HOST, overrides: UrlOverrides = {}): Upstreams {
  const trim = (url: string) => url.replace(/\/+$/, "");
  const isDotcom = host === DEFAULT_HOST;
  return {
    github: trim(overrides.github ?? `https://${host}`),
    api: trim(overrides.api ?? (isDotcom ? "https://api.github.com" : `https://api.${host}`)),
    proxy: overrides.proxy === undefined ? undefined : trim(overrides.proxy),
  };
}

/** Fallback bases when the session token carries no `endpoints`. */
export function defaultEndpoints(host: string): { api: string; proxy: string } {
  return host === DEFAULT_HOST
    ? { api: "https://api.githubcopilot.com", proxy: "https://copilot-proxy.githubusercontent.com" }
    : { api: `https://copilot-api.${host}`, proxy: `https://copilot-api.${host}` };
}

const get = (env: Env, name: string) => env[name] || undefined;
const home = (env: Env) => get(env, "HOME") ?? get(env, "USERPROFILE");

/** `~` + `rest`, or undefined when no home directory is set. */
const underHome = (env: Env, rest: string) => {
  const dir = home(env);
  return dir === undefined ? undefined : dir + rest;
};

/**
 * The OS configuration directory: `$XDG_CONFIG_HOME` (when absolute) else
 * `~/.config` on Linux, `~/Library/Application Support` on macOS, `%APPDATA%`
 * on Windows; undefined when it depends on a home directory that is not set.
 */
export function osConfigDir(env: Env, os: Os): string | undefined {
  switch (os) {
    case "windows":
      return get(env, "APPDATA") ?? underHome(env, "\\AppData\\Roaming");
    case "darwin":
      return underHome(env, "/Library/Application Support");
    default: {
      const xdg = get(env, "XDG_CONFIG_HOME");
      return xdg?.startsWith("/") ? xdg : underHome(env, "/.config");
    }
  }
}

/**
 * Where this tool keeps its files: `COPILOT_CONFIG_DIR` (resolved against
 * `cwd` when relative), else the OS config dir + `copilot`; undefined when
 * there is none (no `HOME`).
 */
export function configDir(env: Env, os: Os, cwd: () => string): string | undefined {
  const path = pathOps(os === "windows");
  const override = get(env, "COPILOT_CONFIG_DIR");
  if (override) return path.isAbsolute(override) ? override : path.join(cwd(), override);
  const base = osConfigDir(env, os);
  return base === undefined ? undefined : path.join(base, "copilot");
}

/**
 * Where copilot.vim / copilot.lua keep their login: `$XDG_CONFIG_HOME/github-copilot`
 * when absolute, else `%LOCALAPPDATA%\github-copilot` on Windows, else
 * `~/.config/github-copilot` (macOS included); undefined without a home directory.
 */
export function pluginConfigDir(env: Env, os: Os): string | undefined {
  const path = pathOps(os === "windows");
  const xdg = get(env, "XDG_CONFIG_HOME");
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, "github-copilot");
  if (os === "windows") {
    const local = get(env, "LOCALAPPDATA") ?? underHome(env, "\\AppData\\Local");
    return local === undefined ? undefined : `${local}\\github-copilot`;
  }
  return underHome(env, "/.config/github-copilot");
}
