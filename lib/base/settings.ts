/**
 * Everything the environment can set, read once (at the command's start)
 * into one {@linkcode Settings} value that is passed down as options: no
 * module below the commands reads the environment itself.
 *
 * Loaded on every run, so it imports nothing heavy.
 *
 * @module
 */

import {
  configDir,
  DEFAULT_HOST,
  type Env,
  type Os,
  pluginConfigDir,
  type UrlOverrides,
} from "./config.ts";
import { CopilotError, ExitCode } from "./errors.ts";
import { MAX_TIMER_MS } from "./sleep.ts";

/** Default seconds to wait for an answer's headers, or between two body chunks. */
export const DEFAULT_TIMEOUT_S = 30;

/** Variables that hold a secret: kept out of {@linkcode Settings.identity}. */
const SECRETS: ReadonlySet<string> = new Set(["COPILOT_GITHUB_TOKEN", "COPILOT_SERVE_KEY"]);

/** What every HTTP request takes from the settings. */
export interface NetSettings {
  /** Seconds to wait for headers and between body chunks (`COPILOT_TIMEOUT`, default 30). */
  timeout: number;
  /** A PEM bundle trusted on top of the system roots (`COPILOT_CA_FILE`). */
  caFile: string | undefined;
  /** Log requests on stderr, tokens redacted (`COPILOT_DEBUG`). */
  debug: boolean;
}

/** The settings of one run. */
export interface Settings {
  /** The GitHub token from `COPILOT_GITHUB_TOKEN`; never print it. */
  githubToken: string | undefined;
  /** The GitHub host (`COPILOT_HOST`, default github.com). */
  host: string;
  /** Upstream URL overrides. */
  urls: UrlOverrides;
  /**
   * This tool's directory (`COPILOT_CONFIG_DIR`, else the OS config dir +
   * `copilot`); undefined when neither it nor `HOME` is set (see {@linkcode requireConfigDir}).
   */
  configDir: string | undefined;
  /** copilot.vim / copilot.lua's directory, read only; undefined without `HOME`. */
  pluginConfigDir: string | undefined;
  /** The model of a request that names none (`COPILOT_MODEL`). */
  model: string | undefined;
  /** HTTP settings. */
  net: NetSettings;
  /**
   * Every set `COPILOT_*` variable but the secrets, for the client identity:
   * `COPILOT_CLIENT` (the preset) and the six single-value overrides
   * (net/identity.ts owns which variable sets which header on which hop).
   */
  identity: Readonly<Record<string, string>>;
  /** `copilot serve`'s API key (`COPILOT_SERVE_KEY`). */
  serveKey: string | undefined;
  /** `copilot serve`'s shutdown wait in seconds (`COPILOT_SERVE_GRACE`), when valid. */
  serveGraceSeconds: number | undefined;
  /** `copilot serve`'s timeouts and connection cap (`COPILOT_SERVE_*_TIMEOUT`, `_MAX_CONNECTIONS`). */
  serveGuards: ServeGuardSettings;
  /**
   * The variables that describe where this process runs, for the terminal
   * helpers (lib/cli): the editor that started it (`VIM`, `VIMRUNTIME`,
   * `NVIM`...) and whether a browser can open (`PATH`, `DISPLAY`...).
   */
  hostEnv: Readonly<Record<string, string>>;
}

/** `copilot serve`'s timeouts (seconds) and connection cap, each unset when absent or invalid. */
export interface ServeGuardSettings {
  /** Time for a new connection's request head. */
  headerSeconds?: number;
  /** Time a keep-alive connection may sit idle. */
  idleSeconds?: number;
  /** Time for a whole request body. */
  bodySeconds?: number;
  /** Most connections open at once. */
  maxConnections?: number;
  /** `COPILOT_SERVE_TRANSPORT=deno`: plain `Deno.serve` (faster streams, fewer guards). */
  plainTransport?: boolean;
}

/** The positive number in `value`, if it holds one. */
function positive(value: string | undefined): number | undefined {
  const n = Number(value ?? NaN);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Where {@linkcode readSettings} looks besides the environment. */
export interface Platform {
  /** The OS family; default this one. */
  os?: Os;
  /** The working directory (for a relative `COPILOT_CONFIG_DIR`); default `Deno.cwd`. */
  cwd?: () => string;
}

/** The variables copied into {@linkcode Settings.hostEnv}. */
const HOST_VARIABLES = [
  "VIM",
  "VIMRUNTIME",
  "VIM_TERMINAL",
  "NVIM",
  "NVIM_LOG_FILE",
  "NVIM_LISTEN_ADDRESS",
  "PATH",
  "DISPLAY",
  "WAYLAND_DISPLAY",
];

/**
 * The settings for `env` (a record, so it is pure and testable; empty values
 * count as unset).
 *
 * @example
 * ```ts
 * import { readSettings } from "./settings.ts";
 * const settings = readSettings({ HOME: "/home/me", COPILOT_TIMEOUT: "5" }, { os: "linux" });
 * console.assert(settings.configDir === "/home/me/.config/copilot");
 * console.assert(settings.net.timeout === 5);
 * ```
 */
export function readSettings(env: Env, platform: Platform = {}): Settings {
  const os = platform.os ?? Deno.build.os;
  const get = (name: string) => env[name] || undefined;
  const timeout = Number(get("COPILOT_TIMEOUT"));
  const grace = Number(get("COPILOT_SERVE_GRACE") ?? NaN);
  const debug = get("COPILOT_DEBUG");
  const urls: UrlOverrides = {};
  const github = get("COPILOT_GITHUB_URL");
  const api = get("COPILOT_API_URL");
  const proxy = get("COPILOT_PROXY_URL");
  if (github) urls.github = github;
  if (api) urls.api = api;
  if (proxy) urls.proxy = proxy;
  const identity: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("COPILOT_") && value && !SECRETS.has(name)) identity[name] = value;
  }
  return {
    githubToken: get("COPILOT_GITHUB_TOKEN"),
    host: get("COPILOT_HOST") ?? DEFAULT_HOST,
    urls,
    configDir: configDir(env, os, platform.cwd ?? (() => Deno.cwd())),
    pluginConfigDir: pluginConfigDir(env, os),
    model: get("COPILOT_MODEL"),
    net: {
      // A timer cannot wait longer than MAX_TIMER_MS: a larger one would fire at once.
      timeout: Number.isFinite(timeout) && timeout > 0
        ? Math.min(timeout, MAX_TIMER_MS / 1000)
        : DEFAULT_TIMEOUT_S,
      caFile: get("COPILOT_CA_FILE"),
      debug: debug !== undefined && debug !== "0" && debug !== "false",
    },
    identity,
    serveKey: get("COPILOT_SERVE_KEY"),
    serveGraceSeconds: Number.isFinite(grace) && grace >= 0 ? grace : undefined,
    hostEnv: Object.fromEntries(
      HOST_VARIABLES.flatMap((name) => env[name] ? [[name, env[name]!]] : []),
    ),
    serveGuards: {
      headerSeconds: positive(get("COPILOT_SERVE_HEADER_TIMEOUT")),
      idleSeconds: positive(get("COPILOT_SERVE_IDLE_TIMEOUT")),
      bodySeconds: positive(get("COPILOT_SERVE_BODY_TIMEOUT")),
      maxConnections: positive(get("COPILOT_SERVE_MAX_CONNECTIONS")),
      plainTransport: get("COPILOT_SERVE_TRANSPORT") === "deno",
    },
  };
}

/**
 * The config dir, or the {@linkcode CopilotError} (exit 2) saying how to
 * give one: with `HOME` unset nothing is written to a made-up path.
 */
export function requireConfigDir(settings: Pick<Settings, "configDir">): string {
  if (settings.configDir !== undefined) return settings.configDir;
  throw new CopilotError(
    "cannot tell where to keep the login: HOME is not set; set HOME or COPILOT_CONFIG_DIR",
    { exitCode: ExitCode.Usage },
  );
}

/** The process environment as a record; empty when it may not be read. */
export function processEnv(): Env {
  try {
    return Deno.env.toObject();
  } catch {
    return {}; // no env permission
  }
}
