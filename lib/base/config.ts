/**
 * Settings from the environment: upstream URLs, directories, debug.
 *
 * Loaded on every run, so it imports nothing heavy (no `@std/path`): the
 * directories it builds are absolute, so joining is plain concatenation.
 *
 * @module
 */

/** The default GitHub host. */
export const DEFAULT_HOST = "github.com";

/** Path separator of this OS. */
export const SEP: string = Deno.build.os === "windows" ? "\\" : "/";

/** Reads an environment variable; empty (or not readable) counts as unset. */
export function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined; // no env permission
  }
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
 * Base URLs for `host` (github.com or a GitHub Enterprise host), with the
 * `COPILOT_GITHUB_URL`, `COPILOT_API_URL` and `COPILOT_PROXY_URL` overrides.
 *
 * @example
 * ```ts
 * import { upstreams } from "./config.ts";
 * console.log(upstreams("octo.ghe.com").api); // https://api.octo.ghe.com
 * ```
 */
export function upstreams(host: string = DEFAULT_HOST): Upstreams {
  const trim = (url: string) => url.replace(/\/+$/, "");
  const isDotcom = host === DEFAULT_HOST;
  return {
    github: trim(env("COPILOT_GITHUB_URL") ?? `https://${host}`),
    api: trim(
      env("COPILOT_API_URL") ?? (isDotcom ? "https://api.github.com" : `https://api.${host}`),
    ),
    proxy: env("COPILOT_PROXY_URL") && trim(env("COPILOT_PROXY_URL")!),
  };
}

/** Fallback bases when the session token carries no `endpoints`. */
export function defaultEndpoints(host: string): { api: string; proxy: string } {
  return host === DEFAULT_HOST
    ? { api: "https://api.githubcopilot.com", proxy: "https://copilot-proxy.githubusercontent.com" }
    : { api: `https://copilot-api.${host}`, proxy: `https://copilot-api.${host}` };
}

function home(): string | undefined {
  return env("HOME") ?? env("USERPROFILE");
}

/** Resolves `path` against the working directory unless it is absolute. */
function absolute(path: string): string {
  const isAbsolute = Deno.build.os === "windows"
    ? /^([a-zA-Z]:)?[\\/]/.test(path)
    : path.startsWith("/");
  return isAbsolute ? path : `${Deno.cwd()}${SEP}${path}`;
}

/**
 * The OS configuration directory: `$XDG_CONFIG_HOME` else `~/.config` on
 * Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
 */
export function osConfigDir(): string {
  switch (Deno.build.os) {
    case "windows":
      return env("APPDATA") ?? `${home()}\\AppData\\Roaming`;
    case "darwin":
      return `${home()}/Library/Application Support`;
    default: {
      const xdg = env("XDG_CONFIG_HOME");
      return xdg?.startsWith("/") ? xdg : `${home()}/.config`;
    }
  }
}

/** Where this tool keeps its files: `COPILOT_CONFIG_DIR`, else the OS config dir + `copilot`. */
export function configDir(): string {
  const override = env("COPILOT_CONFIG_DIR");
  return override ? absolute(override) : `${osConfigDir()}${SEP}copilot`;
}

/**
 * Where copilot.vim / copilot.lua keep their login: `$XDG_CONFIG_HOME/github-copilot`
 * when absolute, else `%LOCALAPPDATA%\github-copilot` on Windows, else
 * `~/.config/github-copilot` (macOS included).
 */
export function pluginConfigDir(): string {
  const xdg = env("XDG_CONFIG_HOME");
  if (xdg && absolute(xdg) === xdg) return `${xdg}${SEP}github-copilot`;
  if (Deno.build.os === "windows") {
    return `${env("LOCALAPPDATA") ?? `${home()}\\AppData\\Local`}\\github-copilot`;
  }
  return `${home()}/.config/github-copilot`;
}

/** True when `COPILOT_DEBUG` asks for request logs on stderr. */
export function debugEnabled(): boolean {
  // Asked on every request: read once per process.
  if (debug === undefined) {
    const value = env("COPILOT_DEBUG");
    debug = value !== undefined && value !== "0" && value !== "false";
  }
  return debug;
}

let debug: boolean | undefined;
