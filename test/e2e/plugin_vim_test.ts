/**
 * The editor plugin (editors/vim) in a real Vim, installed as a Vim package
 * (`~/.vim/pack/copilot/start/copilot`), driven through tmux against the
 * fake: the scenarios of test/fixtures/plugin_scenarios.ts (ghost text, Tab,
 * Alt-], Alt-Right, Ctrl-], stale answers, upstream down, :Copilot login /
 * status), and g:copilot_command. Skipped where vim or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { sandbox } from "../fixtures/spawn_cli.ts";
import { startFake } from "../fixtures/fake_upstream/mod.ts";
import { editorSession, has, withCopilotOnPath } from "../fixtures/editor_session.ts";
import { PLUGIN, type PluginEditor, pluginScenarios } from "../fixtures/plugin_scenarios.ts";

const TOKEN = "ghu_pluginVimTestToken000000000000000000";
const ready = Deno.build.os !== "windows" && has("vim") && has("tmux");
if (!ready) console.warn("plugin_vim_test: skipped (needs vim and tmux)");

const VIM: PluginEditor = {
  name: "Vim",
  token: TOKEN,
  ready,
  /** A vimrc as small as a user's, and the plugin as a package under `home`. */
  async install(home) {
    await Deno.mkdir(`${home}/.vim/pack/copilot/start`, { recursive: true });
    await Deno.symlink(PLUGIN, `${home}/.vim/pack/copilot/start/copilot`);
    const vimrc = `${home}/.vimrc`;
    await Deno.writeTextFile(
      vimrc,
      "set nocompatible noswapfile viminfo= ttimeout ttimeoutlen=50 laststatus=0 encoding=utf-8\nfiletype plugin indent on\n",
    );
    return vimrc;
  },
  /** Vim on `file` with the sandbox's vimrc (packages load as for a user). */
  command: (vimrc, file, ...opts) => ["vim -u", vimrc, "-i NONE -n", ...opts, file].join(" "),
  staleKey: () =>
    Promise.resolve(`-c 'inoremap <F5> <Cmd>echo "stale:" copilot_cli#stats().stale<CR>'`),
  // Vim knows the key where the terminal is xterm.
  word: { note: " (where Vim knows the key: xterm)", prefix: "TERM=xterm-256color " },
  parenGhost: "é = fib(10)",
};

pluginScenarios(VIM);

Deno.test(
  { name: "plugin in Vim: g:copilot_command, or why nothing runs", ignore: !ready },
  async (t) => {
    await using fake = await startFake();
    fake.addGitHubToken(TOKEN, "octocat");
    await using box = await sandbox(fake);
    const withShim = await withCopilotOnPath(box, { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN });
    const env = { ...withShim, PATH: box.env.PATH ?? "" }; // the shim is not on PATH
    const vimrc = await VIM.install(box.home);
    fake.config.completions.text = "fib(10)";

    await t.step("g:copilot_command names the program", async () => {
      const file = `${box.home}/command.py`;
      const set = `let g:copilot_command = '${box.home}/bin/copilot'`;
      await using vim = await editorSession(env, VIM.command(vimrc, file, `--cmd "${set}"`));
      await vim.keys("i");
      await vim.type("x = ");
      await vim.waitFor("x = fib(10)");
      await vim.keys("Tab");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = fib(10)\n");
    });

    await t.step("a program that is not there is said once; typing goes on", async () => {
      const file = `${box.home}/missing.py`;
      const set = "let g:copilot_command = 'copilot-not-installed'";
      await using vim = await editorSession(env, VIM.command(vimrc, file, `--cmd "${set}"`));
      await vim.keys("i");
      await vim.type("x = 1");
      await vim.waitFor("Copilot: copilot-not-installed not found: put copilot on PATH");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = 1\n");
    });
  },
);
