/**
 * `copilot` run by an editor as a shell command (`:r !copilot complete`, a
 * filter such as `:1,.!copilot complete --echo`): the editor reads stdout and
 * stderr into the buffer, so a failure is told on the terminal instead, and
 * the buffer keeps what it had.
 *
 * @module
 */

import { EMPTY_PROMPT } from "../base/limits.ts";
import type { Settings } from "../base/settings.ts";
import { tellTerminal } from "./terminal.ts";

/** The editor this process runs under, from what vim and Neovim put in a command's environment. */
export type HostEditor = "vim" | "neovim";

/**
 * Which editor started this process: Neovim sets `NVIM` (0.9+) or
 * `NVIM_LOG_FILE`, and `VIMRUNTIME` without `VIM` (0.7); vim sets `VIM` and
 * `VIMRUNTIME`. A shell in vim's `:terminal` (`VIM_TERMINAL`) is no editor command.
 */
export function hostEditor(env: (name: string) => string | undefined): HostEditor | undefined {
  if (env("VIM_TERMINAL")) return undefined;
  if (env("NVIM") || env("NVIM_LOG_FILE") || env("NVIM_LISTEN_ADDRESS")) return "neovim";
  if (env("VIM")) return "vim";
  return env("VIMRUNTIME") ? "neovim" : undefined;
}

/** The editor this process runs under, from the settings' host variables (none without settings). */
export function editorOf(settings: Pick<Settings, "hostEnv"> | undefined): HostEditor | undefined {
  return settings ? hostEditor((name) => settings.hostEnv[name]) : undefined;
}

/**
 * Tells the user a failure: on stderr, except when an editor reads this
 * process's output (stdout is not a terminal): then on the terminal, so it
 * never lands in the buffer.
 */
export async function reportFailure(line: string, editor: HostEditor | undefined): Promise<void> {
  if (editor !== undefined && !Deno.stdout.isTerminal()) {
    await tellTerminal(line);
  } else {
    console.error(line);
  }
}

/**
 * Why an empty prompt is empty, when the cause is Neovim: its `:r !cmd` gives
 * the command an empty stdin, so there is no terminal to type the prompt on.
 */
export function emptyPromptReason(editor: HostEditor | undefined): string {
  return editor === "neovim" && !Deno.stdin.isTerminal()
    ? "Neovim's :r ! gives no terminal to type on: use :r !copilot complete < %"
    : EMPTY_PROMPT;
}
