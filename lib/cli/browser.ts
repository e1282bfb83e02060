/**
 * Opens a URL in the user's browser, best effort: only where a browser can
 * show up, never failing, never printing, never waiting for it.
 *
 * @module
 */

import { RUN_PATHS } from "./programs.ts";

/** Starts a detached program; may throw (e.g. the program does not exist). */
export type Spawner = (command: string, args: string[]) => void;

/** Options of {@linkcode openBrowser}; defaults are the real ones. */
export interface OpenBrowserOptions {
  /** The OS; default `Deno.build.os`. */
  os?: typeof Deno.build.os;
  /** Reads a variable of the host (`PATH`, `DISPLAY`...): the settings' `hostEnv`. */
  env: (name: string) => string | undefined;
  /** Starts the opener; default a detached `Deno.Command`. */
  spawn?: Spawner;
}

/** True when `program` is a file in one of the `PATH` directories. */
function onPath(program: string, env: (name: string) => string | undefined): boolean {
  return (env("PATH") ?? "").split(":").some((dir) => {
    try {
      return dir !== "" && Deno.statSync(`${dir}/${program}`).isFile;
    } catch {
      return false;
    }
  });
}

/** The opener command for `url` on `os`, or undefined where there is none or no display. */
export function browserCommand(
  url: string,
  os: typeof Deno.build.os,
  env: (name: string) => string | undefined,
  exists: (program: string) => boolean = (program) => onPath(program, env),
): [string, string[]] | undefined {
  const viaShell = (opener: string): [string, string[]] | undefined =>
    exists(opener) ? [RUN_PATHS.sh, ["-c", `exec ${opener} "$1"`, "sh", url]] : undefined;
  switch (os) {
    case "darwin":
      return viaShell("open");
    case "windows":
      // rundll32 takes the URL as one argument; `cmd /c start` would split it at `&`.
      return [RUN_PATHS.rundll32, ["url.dll,FileProtocolHandler", url]];
    default:
      if (!env("DISPLAY") && !env("WAYLAND_DISPLAY")) return undefined;
      return viaShell("xdg-open");
  }
}

function spawnDetached(command: string, args: string[]): void {
  const child = new Deno.Command(command, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  child.status.catch(() => {});
  child.unref();
}

/**
 * Tries to open `url` in a browser; true when an opener was started. Never
 * throws and never waits for the browser.
 *
 * @example
 * ```ts ignore
 * import { openBrowser } from "./browser.ts";
 * openBrowser("https://github.com/login/device", { env: (name) => Deno.env.get(name) });
 * ```
 */
export function openBrowser(url: string, options: OpenBrowserOptions): boolean {
  try {
    const env = options.env;
    const command = browserCommand(url, options.os ?? Deno.build.os, env);
    if (!command) return false;
    (options.spawn ?? spawnDetached)(...command);
    return true;
  } catch {
    return false;
  }
}
