/**
 * What launching a coding agent against `copilot serve` takes, as data: the program, its
 * arguments, the environment to set and to unset; and `--print-env` output for a POSIX shell.
 * Secrets (serve's API key) are never printed: they are written as a reference to the variable
 * that holds them.
 *
 * @module
 */

import type { ModelEntry } from "../copilot/model_entry.ts";

/** The fields of a Copilot `/models` entry the launchers read. */
export type LaunchModel = ModelEntry;

/** Where `serve` listens and how to authenticate to it. */
export interface ServeEndpoint {
  /** Base URL without `/v1`, e.g. `http://127.0.0.1:4141`. */
  baseUrl: string;
  /** serve's API key, or undefined when serve takes none. */
  apiKey?: string;
  /** The variable the key came from (printed instead of the key). Default `COPILOT_SERVE_KEY`. */
  keyVariable?: string;
}

/** A launch: run `command args…` with `env` set and `unset` removed. */
export interface AgentLaunch {
  /** Program name, looked up on PATH. */
  command: string;
  /** Arguments. */
  args: string[];
  /** Variables to set. */
  env: Record<string, string>;
  /** Variables to remove from the inherited environment. */
  unset: string[];
  /** Names in `env` whose value is secret, each mapped to the variable to print instead. */
  secret: Record<string, string>;
}

/** Placeholder token when serve takes no key (the agents insist on one). */
export const NO_KEY = "copilot-serve";

/** Chat models, those pickers show first. */
export function chatModels(models: LaunchModel[]): LaunchModel[] {
  const chat = models.filter((model) => model.capabilities?.type === "chat");
  return [
    ...chat.filter((model) => model.model_picker_enabled !== false),
    ...chat.filter((model) => model.model_picker_enabled === false),
  ];
}

/** Numeric version parts in an id (`claude-sonnet-4.5` → [4, 5]), for newest-first sorting. */
export function versionOf(id: string): number[] {
  return (id.match(/\d+(?:\.\d+)*/g) ?? []).flatMap((part) => part.split(".").map(Number));
}

/** Sorts newest first by {@linkcode versionOf}. */
export function newestFirst(models: LaunchModel[]): LaunchModel[] {
  return [...models].sort((a, b) => {
    const [x, y] = [versionOf(a.id), versionOf(b.id)];
    for (let at = 0; at < Math.max(x.length, y.length); at++) {
      const diff = (y[at] ?? -1) - (x[at] ?? -1);
      if (diff !== 0) return diff;
    }
    return a.id.localeCompare(b.id);
  });
}

/** A word quoted for a POSIX shell (`'…'`, with `'` as `'\''`) unless it needs none. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `--print-env` output: `export`/`unset` lines for a POSIX shell; secrets as variable references. */
export function printEnv(launch: AgentLaunch): string {
  const lines = launch.unset.map((name) => `unset ${name}`);
  for (const [name, value] of Object.entries(launch.env)) {
    const reference = launch.secret[name];
    lines.push(`export ${name}=${reference === undefined ? shellQuote(value) : `"$${reference}"`}`);
  }
  return lines.join("\n") + "\n";
}

/** The command line of a launch, quoted for a POSIX shell. */
export function printCommand(launch: AgentLaunch): string {
  return [launch.command, ...launch.args].map(shellQuote).join(" ");
}

/** The token to hand an agent, and how to print it. */
export function tokenOf(serve: ServeEndpoint): { value: string; reference?: string } {
  if (serve.apiKey === undefined || serve.apiKey === "") return { value: NO_KEY };
  return { value: serve.apiKey, reference: serve.keyVariable ?? "COPILOT_SERVE_KEY" };
}
