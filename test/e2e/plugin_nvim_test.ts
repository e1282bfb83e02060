/**
 * The editor plugin (editors/vim) in a real Neovim, put on the runtimepath as
 * lazy.nvim's `dir` does, driven through tmux against the fake: the ghost
 * text shows at the cursor, Tab puts it in the buffer, Alt-] shows the second
 * suggestion, Alt-Right takes one word, Ctrl-] clears it, a stale answer is
 * never drawn, with the upstream down (or nobody signed in) the buffer stays
 * as typed while the message area says why, and :Copilot login / status
 * work. Skipped where nvim or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";
import { sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";
import { editorSession, has, withCopilotOnPath } from "../fixtures/editor_session.ts";

const TOKEN = "ghu_pluginNvimTestToken00000000000000000";
const PLUGIN = fromFileUrl(new URL("../../editors/vim", import.meta.url));
/** Polls `holds` (bounded) until it is true. */
async function until(holds: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await holds()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} never happened`);
}

const ready = Deno.build.os !== "windows" && has("nvim") && has("tmux");
if (!ready) console.warn("plugin_nvim_test: skipped (needs nvim and tmux)");

/** An init.lua that puts the plugin on the runtimepath, as lazy.nvim's `dir` does. */
async function installPlugin(home: string): Promise<string> {
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
}

/** Neovim on `file` with the sandbox's init.lua. */
const nvimOn = (env: Record<string, string>, init: string, file: string) =>
  editorSession(env, `nvim -u ${init} -i NONE -n ${file}`);

Deno.test(
  { name: "plugin in Neovim: ghost text, Tab, cycling, Ctrl-]", ignore: !ready },
  async (t) => {
    await using fake = await startFake();
    fake.addGitHubToken(TOKEN, "octocat");
    await using box = await sandbox(fake);
    const env = await withCopilotOnPath(box, { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN });
    const vimrc = await installPlugin(box.home);

    await t.step("the ghost text shows below the cursor and Tab accepts it", async () => {
      fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
      const file = `${box.home}/fib.py`;
      await using vim = await nvimOn(env, vimrc, file);
      await vim.keys("i");
      await vim.type("def fib(n):");
      await vim.waitFor("    return fib(n - 1) + fib(n - 2)");
      await vim.keys("Tab");
      await vim.waitUntil((s) => s.includes("-- INSERT --") && s.includes("return n"), "accepted");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), `def fib(n):${DEFAULT_COMPLETION_TEXT}`);
    });

    await t.step("inline at the cursor; Alt-] shows the second suggestion", async () => {
      fake.config.completions.text = ["fib(10)", "fib(20)", "fib(30)"];
      const file = `${box.home}/cycle.py`;
      await using vim = await nvimOn(env, vimrc, file);
      await vim.keys("i");
      await vim.type("x = ");
      await vim.waitFor("x = fib(10)");
      await vim.keys("M-]");
      await vim.waitFor("x = fib(20)");
      await vim.keys("Tab");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = fib(20)\n");
    });

    await t.step("Alt-Right takes one word", async () => {
      fake.config.completions.text = "total + count";
      const file = `${box.home}/word.py`;
      await using vim = await nvimOn(env, vimrc, file);
      await vim.keys("i");
      await vim.type("x = ");
      await vim.waitFor("x = total + count");
      await vim.keys("M-Right");
      // The ghost text is gone (a new one may follow the accepted word: "x = totaltotal + count").
      await vim.waitUntil((s) => !s.includes("x = total + count"), "one word taken");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = total\n");
    });

    await t.step("multi-byte text; the suggestion closes the paren after the cursor", async () => {
      fake.config.completions.text = "10)";
      const file = `${box.home}/paren.py`;
      await Deno.writeTextFile(file, "é = fib()\n");
      await using vim = await nvimOn(env, vimrc, file);
      await vim.keys("$", "i");
      await vim.waitFor("é = fib() 10");
      await vim.keys("Tab");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "é = fib(10)\n");
      // The cursor's column went in UTF-8 bytes and the server read it so: the prompt ends there.
      const prompts = fake.requestsTo("/v1/engines/").map((r) =>
        (r.body as { prompt: string }).prompt
      );
      assertEquals(prompts.some((prompt) => prompt.endsWith("\né = fib(")), true);
    });

    await t.step("an answer for where the cursor was is never drawn", async () => {
      fake.config.completions.text = "fib(10)";
      fake.config.completions.hold = 1;
      const file = `${box.home}/stale.py`;
      await Deno.writeTextFile(file, "x = \n");
      const asked = fake.stats.completions;
      // F5 shows how many answers the plugin dropped as stale.
      const f5 = `${box.home}/f5.lua`;
      await Deno.writeTextFile(
        f5,
        `vim.keymap.set("i", "<F5>", function() print("stale: " .. require("copilot_cli").stats().stale) end)`,
      );
      await using vim = await editorSession(
        env,
        `nvim -u ${vimrc} -i NONE -n -c 'set noshowmode' -c 'luafile ${f5}' ${file}`,
      );
      await vim.keys("A");
      await until(() => fake.stats.completions > asked, "the request reaching the fake");
      await vim.keys("Left");
      fake.release();
      await until(async () => {
        await vim.keys("F5");
        return (await vim.screen()).includes("stale: 1");
      }, "the answer arriving");
      assertEquals((await vim.screen()).includes("fib(10)"), false);
      fake.config.completions.hold = null;
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = \n");
    });

    await t.step("Ctrl-] clears the suggestion; Tab is a Tab again", async () => {
      fake.config.completions.text = "fib(10)";
      const file = `${box.home}/dismiss.py`;
      await using vim = await nvimOn(env, vimrc, file);
      await vim.keys("i");
      await vim.type("x = ");
      await vim.waitFor("x = fib(10)");
      await vim.keys("C-]");
      await vim.waitUntil((s) => !s.includes("fib(10)"), "the ghost text going");
      await vim.keys("Tab");
      await vim.quit();
      // A Tab as python's ftplugin has it: spaces to the next 'softtabstop'.
      assertEquals(await Deno.readTextFile(file), "x =     \n");
    });
  },
);

Deno.test({ name: "plugin in Neovim: upstream down", ignore: !ready }, async () => {
  const fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  await fake.close();
  const env = await withCopilotOnPath(box, { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN });
  const vimrc = await installPlugin(box.home);
  const file = `${box.home}/down.py`;
  await using vim = await nvimOn(env, vimrc, file);
  await vim.keys("i");
  await vim.type("def fib(n):");
  await vim.waitFor("Copilot: cannot reach");
  await vim.type(" pass");
  await vim.quit();
  assertEquals(await Deno.readTextFile(file), "def fib(n): pass\n");
});

Deno.test({ name: "plugin in Neovim: :Copilot login and status", ignore: !ready }, async () => {
  await using fake = await startFake();
  await using box = await sandbox(fake);
  const env = await withCopilotOnPath(box);
  const vimrc = await installPlugin(box.home);
  await using vim = await nvimOn(env, vimrc, `${box.home}/login.py`);
  await vim.keys(":Copilot status", "Enter");
  await vim.waitFor("Copilot: not signed in; run :Copilot login");
  // The fake approves the device code by itself after one pending poll.
  await vim.keys(":Copilot login", "Enter");
  await vim.waitFor("Copilot: signed in as octocat");
  await vim.keys(":messages", "Enter");
  await vim.waitFor("Copilot: enter the code WDJB-MJHT at https://github.com/login/device");
  await vim.keys("Enter", ":Copilot status", "Enter");
  await vim.waitFor("Copilot: ready, signed in as octocat; enabled here");
  await vim.quit();
  const login = JSON.parse(await Deno.readTextFile(`${box.configDir}/auth.json`));
  assertEquals(login.user, "octocat");
});

Deno.test(
  { name: "plugin in Neovim: not signed in, typing shows the device code", ignore: !ready },
  async () => {
    await using fake = await startFake();
    await using box = await sandbox(fake);
    const env = await withCopilotOnPath(box);
    const vimrc = await installPlugin(box.home);
    const file = `${box.home}/anonymous.py`;
    await using vim = await nvimOn(env, vimrc, file);
    await vim.keys("i");
    await vim.type("def fib(n):");
    await vim.waitFor(
      "Copilot: not signed in. Enter the code WDJB-MJHT at https://github.com/login",
    );
    await vim.quit();
    assertEquals(await Deno.readTextFile(file), "def fib(n):\n");
  },
);
