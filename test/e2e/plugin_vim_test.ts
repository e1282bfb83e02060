/**
 * The editor plugin (editors/vim) in a real Vim, installed as a Vim package
 * (`~/.vim/pack/copilot/start/copilot`), driven through tmux against the
 * fake: the ghost text shows at the cursor, Tab puts it in the buffer, Alt-]
 * shows the second suggestion, Alt-Right takes a word, Ctrl-] clears it, a
 * stale answer is never drawn, with the upstream down (or nobody signed in)
 * the buffer stays as typed while the message area says why, and :Copilot
 * login / status work. Skipped where vim or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { fromFileUrl } from "@std/path/from-file-url";
import { sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";
import { editorSession, has, withCopilotOnPath } from "../fixtures/editor_session.ts";

const TOKEN = "ghu_pluginVimTestToken000000000000000000";
const PLUGIN = fromFileUrl(new URL("../../editors/vim", import.meta.url));
/** Polls `holds` (bounded) until it is true. */
async function until(holds: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await holds()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} never happened`);
}

const ready = Deno.build.os !== "windows" && has("vim") && has("tmux");
if (!ready) console.warn("plugin_vim_test: skipped (needs vim and tmux)");

/** A vimrc as small as a user's, and the plugin as a package under `home`. */
async function installPlugin(home: string): Promise<string> {
  await Deno.mkdir(`${home}/.vim/pack/copilot/start`, { recursive: true });
  await Deno.symlink(PLUGIN, `${home}/.vim/pack/copilot/start/copilot`);
  const vimrc = `${home}/.vimrc`;
  await Deno.writeTextFile(
    vimrc,
    "set nocompatible noswapfile viminfo= ttimeout ttimeoutlen=50 laststatus=0 encoding=utf-8\nfiletype plugin indent on\n",
  );
  return vimrc;
}

/** Vim on `file` with the sandbox's vimrc (packages load as for a user). */
const vimOn = (env: Record<string, string>, vimrc: string, file: string) =>
  editorSession(env, `vim -u ${vimrc} -i NONE -n ${file}`);

Deno.test(
  { name: "plugin in Vim: ghost text, Tab, cycling, Ctrl-]", ignore: !ready },
  async (t) => {
    await using fake = await startFake();
    fake.addGitHubToken(TOKEN, "octocat");
    await using box = await sandbox(fake);
    const env = await withCopilotOnPath(box, { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN });
    const vimrc = await installPlugin(box.home);

    await t.step("the ghost text shows below the cursor and Tab accepts it", async () => {
      fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
      const file = `${box.home}/fib.py`;
      await using vim = await vimOn(env, vimrc, file);
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
      await using vim = await vimOn(env, vimrc, file);
      await vim.keys("i");
      await vim.type("x = ");
      await vim.waitFor("x = fib(10)");
      await vim.keys("M-]");
      await vim.waitFor("x = fib(20)");
      await vim.keys("Tab");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = fib(20)\n");
    });

    await t.step("Alt-Right takes one word (where Vim knows the key: xterm)", async () => {
      fake.config.completions.text = "total + count";
      const file = `${box.home}/word.py`;
      await using vim = await editorSession(
        env,
        `TERM=xterm-256color vim -u ${vimrc} -i NONE -n ${file}`,
      );
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
      await using vim = await vimOn(env, vimrc, file);
      await vim.keys("$", "i");
      await vim.waitFor("é = fib(10)");
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
      const f5 = `inoremap <F5> <Cmd>echo "stale:" copilot_cli#stats().stale<CR>`;
      await using vim = await editorSession(
        env,
        `vim -u ${vimrc} -i NONE -n -c 'set noshowmode' -c '${f5}' ${file}`,
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
      await using vim = await vimOn(env, vimrc, file);
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

Deno.test({ name: "plugin in Vim: upstream down", ignore: !ready }, async () => {
  const fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  await fake.close();
  const env = await withCopilotOnPath(box, { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN });
  const vimrc = await installPlugin(box.home);
  const file = `${box.home}/down.py`;
  await using vim = await vimOn(env, vimrc, file);
  await vim.keys("i");
  await vim.type("def fib(n):");
  await vim.waitFor("Copilot: cannot reach");
  await vim.type(" pass");
  await vim.quit();
  assertEquals(await Deno.readTextFile(file), "def fib(n): pass\n");
});

Deno.test({ name: "plugin in Vim: :Copilot login and status", ignore: !ready }, async () => {
  await using fake = await startFake();
  await using box = await sandbox(fake);
  const env = await withCopilotOnPath(box);
  const vimrc = await installPlugin(box.home);
  await using vim = await vimOn(env, vimrc, `${box.home}/login.py`);
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
  { name: "plugin in Vim: not signed in, typing shows the device code", ignore: !ready },
  async () => {
    await using fake = await startFake();
    await using box = await sandbox(fake);
    const env = await withCopilotOnPath(box);
    const vimrc = await installPlugin(box.home);
    const file = `${box.home}/anonymous.py`;
    await using vim = await vimOn(env, vimrc, file);
    await vim.keys("i");
    await vim.type("def fib(n):");
    await vim.waitFor(
      "Copilot: not signed in. Enter the code WDJB-MJHT at https://github.com/login",
    );
    await vim.quit();
    assertEquals(await Deno.readTextFile(file), "def fib(n):\n");
  },
);

Deno.test(
  { name: "plugin in Vim: g:copilot_command, or why nothing runs", ignore: !ready },
  async (t) => {
    await using fake = await startFake();
    fake.addGitHubToken(TOKEN, "octocat");
    await using box = await sandbox(fake);
    const withShim = await withCopilotOnPath(box, { ...box.env, COPILOT_GITHUB_TOKEN: TOKEN });
    const env = { ...withShim, PATH: box.env.PATH ?? "" }; // the shim is not on PATH
    const vimrc = await installPlugin(box.home);
    fake.config.completions.text = "fib(10)";

    await t.step("g:copilot_command names the program", async () => {
      const file = `${box.home}/command.py`;
      const set = `let g:copilot_command = '${box.home}/bin/copilot'`;
      await using vim = await editorSession(
        env,
        `vim -u ${vimrc} -i NONE -n --cmd "${set}" ${file}`,
      );
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
      await using vim = await editorSession(
        env,
        `vim -u ${vimrc} -i NONE -n --cmd "${set}" ${file}`,
      );
      await vim.keys("i");
      await vim.type("x = 1");
      await vim.waitFor("Copilot: copilot-not-installed not found: put copilot on PATH");
      await vim.quit();
      assertEquals(await Deno.readTextFile(file), "x = 1\n");
    });
  },
);
