/** Unit tests for editor.ts: which editor the environment names. */

import { assertEquals } from "@std/assert";
import { hostEditor } from "./editor.ts";

const from = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("hostEditor: vim sets VIM and VIMRUNTIME", () => {
  assertEquals(
    hostEditor(from({ VIM: "/usr/share/vim", VIMRUNTIME: "/usr/share/vim/vim90" })),
    "vim",
  );
});

Deno.test("hostEditor: Neovim 0.7 sets VIMRUNTIME alone (and NVIM_LOG_FILE); later ones NVIM", () => {
  assertEquals(hostEditor(from({ VIMRUNTIME: "/usr/share/nvim/runtime" })), "neovim");
  assertEquals(hostEditor(from({ NVIM_LOG_FILE: "/root/.cache/nvim/log" })), "neovim");
  assertEquals(hostEditor(from({ NVIM: "/run/nvim.sock", VIM: "/usr/share/nvim" })), "neovim");
});

Deno.test("hostEditor: a plain shell is no editor", () => {
  assertEquals(hostEditor(from({ PATH: "/usr/bin", SHELL: "/bin/sh" })), undefined);
  const inVimTerminal = { VIM: "/usr/share/vim", VIMRUNTIME: "/v", VIM_TERMINAL: "900" };
  assertEquals(hostEditor(from(inVimTerminal)), undefined);
});
