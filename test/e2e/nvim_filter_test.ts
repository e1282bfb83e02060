/**
 * `copilot complete` in a real Neovim (0.7 and later), driven through tmux:
 * the usages the README shows for Neovim, and its Lua mapping; with the
 * upstream down each leaves the file as it was and shows why on the screen,
 * and the typed-prompt form (Neovim gives `:r !cmd` an empty stdin) says so in
 * one line. Skipped where Neovim or tmux is missing.
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

const TOKEN = "ghu_nvimTestToken0000000000000000000000";
const ready = Deno.build.os !== "windows" && has("nvim") && has("tmux");
if (!ready) console.warn("nvim_filter_test: skipped (needs nvim and tmux)");

/** Neovim on `file`, with no user configuration. */
const nvimSession = (env: Record<string, string>, file: string) =>
  editorSession(env, `nvim -u NONE -i NONE -n ${file}`);

/** The README's Neovim mapping (the Lua block that sets a keymap), as a file to `:luafile`. */
async function readmeMapping(dir: string): Promise<string> {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const mapping = [...readme.matchAll(/```lua\n([\s\S]*?)```/g)]
    .map((block) => block[1]!).find((block) => block.includes("keymap"));
  if (!mapping) throw new Error("README.md shows no Neovim mapping");
  const path = `${dir}/mapping.lua`;
  await Deno.writeTextFile(path, mapping);
  return path;
}

const PROMPT = "def fib(n):\n";

Deno.test({ name: "nvim: the README's usages complete", ignore: !ready }, async (t) => {
  await using signedIn = await editorBox(TOKEN);
  const { box, env } = signedIn;

  const open = (file: string) => nvimSession(env, file);
  await t.step(":r !copilot complete --lang python < %", async () => {
    const read = await editFile(
      open,
      `${box.home}/fib.py`,
      PROMPT,
      (nvim) => nvim.keys(":r !copilot complete --lang python < %", "Enter"),
      "return fib(n - 1)",
    );
    assertEquals(read, PROMPT + DEFAULT_COMPLETION_TEXT);
  });

  await t.step("the README's Lua mapping completes at the cursor", async () => {
    const mapping = await readmeMapping(box.home);
    const read = await editFile(
      open,
      `${box.home}/mapped.py`,
      PROMPT + "\nprint(fib(10))\n",
      async (nvim) => {
        await nvim.keys(`:luafile ${mapping}`, "Enter");
        await nvim.keys(":set filetype=python", "Enter", "gg", "C-k");
      },
      "return fib(n - 1)",
    );
    assertEquals(read, PROMPT + DEFAULT_COMPLETION_TEXT + "\nprint(fib(10))\n");
  });
});

Deno.test({
  name: "nvim: with the upstream down, the buffer stays and the reason shows",
  ignore: !ready,
}, async (t) => {
  await using offline = await editorBox(TOKEN, true); // nothing listens at the upstream URLs
  const { box, env } = offline;
  const text = PROMPT + "\nprint(fib(10))\n";

  /** Opens a copy of `text`, runs `act`, waits for `reason` on the screen, checks the file. */
  const unchanged = async (
    name: string,
    reason: string,
    act: (nvim: EditorSession) => Promise<unknown>,
  ) => {
    // The reason is drawn over Neovim's message rows (over "shell returned N" when the command line
    // was not echoed, as under a mapping).
    const open = (file: string) => nvimSession(env, file);
    assertEquals(await editFile(open, `${box.home}/${name}.py`, text, act, reason), text);
  };

  const down = "copilot: cannot reach";
  await t.step(
    ":r !copilot complete < %",
    () =>
      unchanged(
        "read",
        down,
        (nvim) => nvim.keys(":r !copilot complete --lang python < %", "Enter"),
      ),
  );
  await t.step(
    ":1,.!copilot complete --echo",
    () =>
      unchanged("filter", down, (nvim) => nvim.keys("gg", ":1,.!copilot complete --echo", "Enter")),
  );
  await t.step("the README's Lua mapping", () =>
    unchanged("mapped", down, async (nvim) => {
      await nvim.keys(`:luafile ${await readmeMapping(box.home)}`, "Enter", "gg", "C-k");
    }));
  await t.step(
    ":r !copilot complete (typed prompt) says in one line why it cannot work",
    () =>
      unchanged(
        "typed",
        "copilot: Neovim's :r ! gives no terminal to type on: use :r !copilot complete < %",
        (nvim) => nvim.keys(":r !copilot complete", "Enter"),
      ),
  );
});
