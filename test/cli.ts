/**
 * Test helpers: run the real CLI (`deno run -q -P main.ts`, the permission set
 * the binary gets) in an isolated home, pointed at a fake upstream.
 *
 * @module
 */

import { fromFileUrl } from "@std/path/from-file-url";
import type { FakeUpstream } from "./fake_upstream.ts";

const MAIN = fromFileUrl(new URL("../main.ts", import.meta.url));
const ROOT = fromFileUrl(new URL("..", import.meta.url));

/** An isolated user: a temp HOME with its own config dirs, removed on dispose. */
export interface Sandbox extends AsyncDisposable {
  /** The temp HOME. */
  home: string;
  /** `COPILOT_CONFIG_DIR` inside it. */
  configDir: string;
  /** `XDG_CONFIG_HOME` inside it (copilot.vim's store lives under it). */
  xdgConfig: string;
  /** Environment for the CLI: isolated dirs plus the fake's URLs when given. */
  env: Record<string, string>;
}

/** Deno's default cache dir of this (the parent) process, when DENO_DIR is unset. */
function defaultDenoDir(): string | undefined {
  const get = (name: string) => Deno.env.get(name) || undefined;
  const home = get("HOME") ?? get("USERPROFILE");
  switch (Deno.build.os) {
    case "windows":
      return get("LOCALAPPDATA") && `${get("LOCALAPPDATA")}\\deno`;
    case "darwin":
      return home && `${home}/Library/Caches/deno`;
    default: {
      const cache = get("XDG_CACHE_HOME") ?? (home && `${home}/.cache`);
      return cache && `${cache}/deno`;
    }
  }
}

/** Creates an isolated HOME; with `fake`, the CLI's upstream variables point at it. */
export async function sandbox(fake?: FakeUpstream): Promise<Sandbox> {
  const home = await Deno.makeTempDir({ prefix: "copilot-test-" });
  const configDir = `${home}/config/copilot`;
  const xdgConfig = `${home}/config`;
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: xdgConfig,
    APPDATA: `${home}/AppData/Roaming`,
    LOCALAPPDATA: `${home}/AppData/Local`,
    COPILOT_CONFIG_DIR: configDir,
    PATH: Deno.env.get("PATH") ?? "",
    // The child's HOME is a temp dir: keep the parent's module cache, or it re-downloads.
    DENO_DIR: Deno.env.get("DENO_DIR") ?? defaultDenoDir() ?? "",
    NO_COLOR: "1",
  };
  if (!env.DENO_DIR) delete env.DENO_DIR;
  // Windows children cannot open sockets without SystemRoot.
  const systemRoot = Deno.env.get("SystemRoot");
  if (systemRoot) env.SystemRoot = systemRoot;
  if (fake) {
    env.COPILOT_GITHUB_URL = fake.url;
    env.COPILOT_API_URL = fake.url;
  }
  return {
    home,
    configDir,
    xdgConfig,
    env,
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

/** Options of {@linkcode runCli}. */
export interface RunOptions {
  /** Environment of the child (it gets nothing else, so the host's config never leaks in). */
  env: Record<string, string>;
  /** Text piped to stdin; stdin is closed when absent. */
  stdin?: string | Uint8Array;
  /** Working directory; default the project root. */
  cwd?: string;
}

/** What a finished CLI run produced. */
export interface RunResult {
  /** Exit status. */
  code: number;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
}

/**
 * The binary's V8 heap settings, baked in by deno.json's `compile` and
 * `install` tasks (a test checks they match): a young generation of at most
 * 2 × 4 MiB and an old generation that grows by 30% over what is live, so a
 * server that holds hundreds of streams at a time gives the memory back
 * instead of keeping the heap it once needed (without them, bursts of 256
 * streams grow the peak RSS to ~175 MB; with them it stays ~125 MB).
 */
export const V8_FLAGS = "--max-semi-space-size=4,--heap-growing-percent=30";

/** The argv that runs the CLI as the binary runs: its permission set and heap settings. */
export function cliArgs(...args: string[]): string[] {
  return ["run", "-q", "-P", `--v8-flags=${V8_FLAGS}`, MAIN, ...args];
}

/** Spawns the CLI with piped stdio; returns the child for streaming tests. */
export function spawnCli(
  args: string[],
  options: Omit<RunOptions, "stdin"> & { stdin?: "piped" | "null" },
) {
  return new Deno.Command(Deno.execPath(), {
    args: cliArgs(...args),
    env: options.env,
    clearEnv: true,
    cwd: options.cwd ?? ROOT,
    stdin: options.stdin ?? "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: RunOptions): Promise<RunResult> {
  const child = spawnCli(args, {
    ...options,
    stdin: options.stdin === undefined ? "null" : "piped",
  });
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(
      typeof options.stdin === "string" ? new TextEncoder().encode(options.stdin) : options.stdin,
    );
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
