/**
 * `copilot complete` in a real vim, driven through tmux: the three usages the
 * README shows, and its mapping; with the upstream down, each leaves the file
 * as it was and shows why on the screen. Skipped where vim or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { DEFAULT_COMPLETION_TEXT } from "../fixtures/fake_upstream/mod.ts";
import {
  editFile,
  editorBox,
  type EditorSession,
  editorSession,
  has,
} from "../fixtures/editor_session.ts";

const TOKEN = "ghu_vimTestToken00000000000000000000000";
const ready = Deno.build.os !== "windows" && has("vim") && has("tmux");
if (!ready) console.warn("vim_filter_test: skipped (needs vim and tmux)");

/** vim on `file`, with no user configuration. */
const vimSession = (env: Record<string, string>, file: string) =>
  editorSession(env, `vim -u NONE -i NONE -N -n --noplugin ${file}`);

/** The README's vim mapping (the vim block that maps a key). */
async function readmeMapping(): Promise<string> {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const mapping = [...readme.matchAll(/```vim\n([\s\S]*?)```/g)]
    .map((block) => block[1]!).find((block) => block.includes("noremap"));
  if (!mapping) throw new Error("README.md shows no vim mapping");
  return mapping;
}

Deno.test({ name: "vim: :r !copilot complete and friends", ignore: !ready }, async (t) => {
  await using signedIn = await editorBox(TOKEN);
  const { fake, box, env } = signedIn;
  const prompt = "def fib(n):\n";
  const open = (file: string) => vimSession(env, file);

  await t.step(":r !copilot complete with a typed prompt", async () => {
    const read = await editFile(open, `${box.home}/typed.py`, undefined, async (vim) => {
      await vim.keys(":r !copilot complete --lang python", "Enter");
      await vim.waitFor("type the prompt, end with Ctrl-D");
      // The hint clears the row it draws on: no tail of the command line is left beside it.
      const hint = (await vim.screen()).split("\n").find((row) => row.includes("Ctrl-D"));
      assertEquals(hint?.trimEnd(), "type the prompt, end with Ctrl-D");
      await vim.type("def fib(n):");
      await vim.keys("Enter", "C-d");
    }, "return fib(n - 1)");
    // :r puts the output below the (empty) first line; stderr would land there too.
    assertEquals(read, "\n" + DEFAULT_COMPLETION_TEXT);
  });

  await t.step(":r !copilot complete --lang python < %", async () => {
    const read = await editFile(
      open,
      `${box.home}/fib.py`,
      prompt,
      (vim) => vim.keys(":r !copilot complete --lang python < %", "Enter"),
      "return fib(n - 1)",
    );
    assertEquals(read, prompt + DEFAULT_COMPLETION_TEXT);
  });

  await t.step(":1,.!copilot complete --echo completes in place", async () => {
    const read = await editFile(
      open,
      `${box.home}/filter.py`,
      prompt + "\nprint(fib(10))\n",
      (vim) => vim.keys(":1,.!copilot complete --echo", "Enter"),
      "return fib(n - 1)",
    );
    assertEquals(read, prompt + DEFAULT_COMPLETION_TEXT + "\nprint(fib(10))\n");
  });

  await t.step("the README's mapping completes at the cursor", async () => {
    const vimrc = `${box.home}/mapping.vim`;
    await Deno.writeTextFile(vimrc, await readmeMapping());
    const read = await editFile(
      open,
      `${box.home}/mapped.py`,
      prompt + "\nprint(fib(10))\n",
      async (vim) => {
        await vim.keys(`:source ${vimrc}`, "Enter", ":set filetype=python", "Enter", "gg");
        await vim.keys("C-k");
      },
      "return fib(n - 1)",
    );
    assertEquals(read, prompt + DEFAULT_COMPLETION_TEXT + "\nprint(fib(10))\n");
    const body = fake.requestsTo("/v1/engines/").at(-1)!.body as { extra: { language: string } };
    assertEquals(body.extra.language, "python");
  });
});

Deno.test({
  name: "vim: with the upstream down, the buffer stays and the reason shows",
  ignore: !ready,
}, async (t) => {
  await using offline = await editorBox(TOKEN, true); // nothing listens at the upstream URLs
  const { box, env } = offline;
  const text = "def fib(n):\n\nprint(fib(10))\n";
  const reason = "copilot: cannot reach";

  /** Opens a copy of `text`, runs `act`, and checks the screen and the file. */
  const unchanged = async (
    name: string,
    act: (vim: EditorSession) => Promise<unknown>,
  ) => {
    const open = (file: string) => vimSession(env, file);
    const read = await editFile(
      open,
      `${box.home}/${name}.py`,
      text,
      act,
      reason,
      "shell returned",
    );
    assertEquals(read, text);
  };

  await t.step(
    ":r !copilot complete < %",
    () => unchanged("read", (vim) => vim.keys(":r !copilot complete --lang python < %", "Enter")),
  );
  await t.step(
    ":1,.!copilot complete --echo",
    () => unchanged("filter", (vim) => vim.keys("gg", ":1,.!copilot complete --echo", "Enter")),
  );
  await t.step("the README's mapping", () =>
    unchanged("mapped", async (vim) => {
      const vimrc = `${box.home}/mapping.vim`;
      await Deno.writeTextFile(vimrc, await readmeMapping());
      await vim.keys(`:source ${vimrc}`, "Enter", "gg", "C-k");
    }));
  await t.step(":r !copilot complete with a typed prompt", () =>
    unchanged("typed", async (vim) => {
      await vim.keys(":r !copilot complete", "Enter");
      await vim.waitFor("type the prompt, end with Ctrl-D");
      await vim.type("def fib(n):");
      await vim.keys("Enter", "C-d");
    }));
});
