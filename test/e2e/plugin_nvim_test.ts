/**
 * The editor plugin (editors/vim) in a real Neovim, put on the runtimepath as
 * lazy.nvim's `dir` does, driven through tmux against the fake: the scenarios
 * of test/fixtures/plugin_scenarios.ts (ghost text, Tab, Alt-], Alt-Right,
 * Ctrl-], stale answers, upstream down, :Copilot login / status). Skipped
 * where nvim or tmux is missing.
 */

import { has } from "../fixtures/editor_session.ts";
import { PLUGIN, pluginScenarios } from "../fixtures/plugin_scenarios.ts";

const ready = Deno.build.os !== "windows" && has("nvim") && has("tmux");
if (!ready) console.warn("plugin_nvim_test: skipped (needs nvim and tmux)");

pluginScenarios({
  name: "Neovim",
  token: "ghu_pluginNvimTestToken00000000000000000",
  ready,
  /** An init.lua that puts the plugin on the runtimepath, as lazy.nvim's `dir` does. */
  async install(home) {
    const init = `${home}/init.lua`;
    await Deno.writeTextFile(
      init,
      // No python provider: python's ftplugin would probe for it for seconds.
      `vim.opt.rtp:prepend(${
        JSON.stringify(PLUGIN)
      })\nvim.o.swapfile = false\nvim.o.laststatus = 0\n` +
        "vim.g.loaded_python3_provider = 0\n",
    );
    return init;
  },
  command: (init, file, ...opts) => ["nvim -u", init, "-i NONE -n", ...opts, file].join(" "),
  async staleKey(home) {
    const f5 = `${home}/f5.lua`;
    await Deno.writeTextFile(
      f5,
      `vim.keymap.set("i", "<F5>", function() print("stale: " .. require("copilot_cli").stats().stale) end)`,
    );
    return `-c 'luafile ${f5}'`;
  },
  word: { note: "", prefix: "" },
  parenGhost: "é = fib() 10",
});
