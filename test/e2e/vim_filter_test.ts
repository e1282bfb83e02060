/**
 * `copilot complete` in a real vim, driven through tmux: the three usages the
 * README shows, and its mapping. Skipped where vim or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { cliArgs, sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";

const TOKEN = "ghu_vimTestToken00000000000000000000000";

function has(tool: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const ready = Deno.build.os !== "windows" && has("vim") && has("tmux");
if (!ready) console.warn("vim_test: skipped (needs vim and tmux)");

/** A tmux server of our own running vim, with helpers to type and read the screen. */
async function vimSession(env: Record<string, string>, file: string) {
  const socket = `copilot-test-${crypto.randomUUID().slice(0, 8)}`;
  const tmux = async (...args: string[]) => {
    const out = await new Deno.Command("tmux", {
      args: ["-L", socket, "-f", "/dev/null", ...args],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout);
  };
  await tmux(
    "new-session",
    "-d",
    "-x",
    "100",
    "-y",
    "30",
    `vim -u NONE -i NONE -N -n --noplugin ${file}`,
  );
  const screen = () => tmux("capture-pane", "-p");
  const waitFor = async (text: string) => {
    for (let i = 0; i < 300; i++) {
      if ((await screen()).includes(text)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`"${text}" never showed; screen:\n${await screen()}`);
  };
  return {
    /** Types keys (tmux send-keys names, e.g. "Enter", "C-d"). */
    keys: (...keys: string[]) => tmux("send-keys", ...keys),
    /** Types literal text. */
    type: (text: string) => tmux("send-keys", "-l", text),
    waitFor,
    screen,
    /** Saves, quits and waits for vim to leave. */
    async quit() {
      await tmux("send-keys", "Escape", ":wq", "Enter");
      for (let i = 0; i < 100 && (await tmux("list-sessions")).trim() !== ""; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await tmux("kill-server").catch(() => {});
    },
  };
}

Deno.test({ name: "vim: :r !copilot complete and friends", ignore: !ready }, async (t) => {
  await using fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  // `copilot` on PATH runs this checkout with the project's permission set.
  const bin = `${box.home}/bin`;
  await Deno.mkdir(bin);
  const args = cliArgs().map((arg) => `'${arg}'`).join(" ");
  await Deno.writeTextFile(`${bin}/copilot`, `#!/bin/sh\nexec '${Deno.execPath()}' ${args} "$@"\n`);
  await Deno.chmod(`${bin}/copilot`, 0o755);
  const env = {
    ...box.env,
    COPILOT_GITHUB_TOKEN: TOKEN,
    PATH: `${bin}:${box.env.PATH}`,
    TERM: "xterm-256color",
    SHELL: "/bin/sh",
  };
  const prompt = "def fib(n):\n";

  await t.step(":r !copilot complete with a typed prompt", async () => {
    const file = `${box.home}/typed.py`;
    const vim = await vimSession(env, file);
    await vim.keys(":r !copilot complete --lang python", "Enter");
    await vim.waitFor("type the prompt, end with Ctrl-D");
    await vim.type("def fib(n):");
    await vim.keys("Enter", "C-d");
    await vim.waitFor("return fib(n - 1)");
    await vim.quit();
    // :r puts the output below the (empty) first line; stderr would land there too.
    assertEquals(await Deno.readTextFile(file), "\n" + DEFAULT_COMPLETION_TEXT);
  });

  await t.step(":r !copilot complete --lang python < %", async () => {
    const file = `${box.home}/fib.py`;
    await Deno.writeTextFile(file, prompt);
    const vim = await vimSession(env, file);
    await vim.keys(":r !copilot complete --lang python < %", "Enter");
    await vim.waitFor("return fib(n - 1)");
    await vim.quit();
    assertEquals(await Deno.readTextFile(file), prompt + DEFAULT_COMPLETION_TEXT);
  });

  await t.step(":1,.!copilot complete --echo completes in place", async () => {
    const file = `${box.home}/filter.py`;
    await Deno.writeTextFile(file, prompt + "\nprint(fib(10))\n");
    const vim = await vimSession(env, file);
    await vim.keys(":1,.!copilot complete --echo", "Enter");
    await vim.waitFor("return fib(n - 1)");
    await vim.quit();
    assertEquals(
      await Deno.readTextFile(file),
      prompt + DEFAULT_COMPLETION_TEXT + "\nprint(fib(10))\n",
    );
  });

  await t.step("the README's mapping completes at the cursor", async () => {
    const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
    const mapping = [...readme.matchAll(/```vim\n([\s\S]*?)```/g)]
      .map((block) => block[1]!).find((block) => block.includes("noremap"));
    if (!mapping) throw new Error("README.md shows no vim mapping");
    const vimrc = `${box.home}/mapping.vim`;
    await Deno.writeTextFile(vimrc, mapping);
    const file = `${box.home}/mapped.py`;
    await Deno.writeTextFile(file, prompt + "\nprint(fib(10))\n");
    const vim = await vimSession(env, file);
    await vim.keys(`:source ${vimrc}`, "Enter", ":set filetype=python", "Enter", "gg");
    await vim.keys("C-k");
    await vim.waitFor("return fib(n - 1)");
    await vim.quit();
    assertEquals(
      await Deno.readTextFile(file),
      prompt + DEFAULT_COMPLETION_TEXT + "\nprint(fib(10))\n",
    );
    const body = fake.requestsTo("/v1/engines/").at(-1)!.body as { extra: { language: string } };
    assertEquals(body.extra.language, "python");
  });
});
