/**
 * `copilot lsp` in real editors from Debian's packages, driven through tmux
 * against the fake: Neovim's built-in client (omni completion and a textEdit
 * applied through vim.lsp) and Emacs' eglot (`completion-at-point`). Each is
 * skipped where the editor or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";
import { editorSession, has, lspWrapper, waitForFile } from "../fixtures/lsp_editor.ts";

const TOKEN = "ghu_lspEditorsTestToken00000000000000000";
const unix = Deno.build.os !== "windows";

async function setup() {
  const fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  const box = await sandbox(fake);
  box.env.COPILOT_GITHUB_TOKEN = TOKEN;
  const server = await lspWrapper(box.home, box.env, ["--debounce", "0"]);
  return {
    fake,
    box,
    server,
    async [Symbol.asyncDispose]() {
      await box[Symbol.asyncDispose]();
      await fake.close();
    },
  };
}

const NVIM_INIT = (server: string, ready: string) => `
vim.o.swapfile = false
vim.o.shadafile = "NONE"
vim.o.completeopt = "menu"
vim.api.nvim_create_autocmd("FileType", {
  pattern = "python",
  callback = function(args)
    local id = vim.lsp.start_client({
      name = "copilot",
      cmd = { "${server}" },
      root_dir = vim.fn.getcwd(),
      on_init = function() vim.fn.writefile({ "ready" }, "${ready}") end,
    })
    vim.lsp.buf_attach_client(args.buf, id)
    vim.bo[args.buf].omnifunc = "v:lua.vim.lsp.omnifunc"
  end,
})
-- A multi-line suggestion at the end of the line, applied as its textEdit through vim.lsp.
function CopilotInsert()
  local params = vim.lsp.util.make_position_params()
  params.position.character = #vim.api.nvim_get_current_line()
  vim.lsp.buf_request(0, "textDocument/completion", params, function(err, result)
    local item = result and result.items[1]
    if item then vim.lsp.util.apply_text_edits({ item.textEdit }, 0, "utf-16") end
  end)
end
`;

Deno.test({
  name: "lsp in Neovim: omni completion and a multi-line textEdit land in the buffer",
  ignore: !(unix && has("nvim") && has("tmux")),
  async fn() {
    await using env = await setup();
    const dir = env.box.home;
    const file = `${dir}/fib.py`;
    await Deno.writeTextFile(file, "def fib(n):\n    return fib\n");
    await Deno.writeTextFile(`${dir}/init.lua`, NVIM_INIT(env.server, `${dir}/ready`));
    await using nvim = await editorSession(
      env.box.env,
      `cd ${dir} && nvim --clean -n -u ${dir}/init.lua ${file}`,
    );
    await waitForFile(`${dir}/ready`);
    // Omni completion (<C-x><C-o>) at the end of "    return fib".
    env.fake.config.completions.text = "(n - 1) + fib(n - 2)";
    await nvim.keys("G", "A");
    await nvim.keys("C-x", "C-o");
    await nvim.waitFor((s) => s.includes("return fib(n - 1) + fib(n - 2)"), "the omni completion");
    await nvim.keys("Escape");
    // A block at the end of "def fib(n):", applied through vim.lsp.util.apply_text_edits.
    env.fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
    await nvim.keys("g", "g", "$");
    await nvim.type(":lua CopilotInsert()\n");
    await nvim.waitFor(
      (s) => s.includes("def fib(n):\n    if n < 2"),
      "the block",
    );
    await nvim.type(":wq\n");
    await nvim.waitFor((s) => !s.includes("fib.py"), "Neovim to exit").catch(() => {});
    assertEquals(
      await Deno.readTextFile(file),
      `def fib(n):${DEFAULT_COMPLETION_TEXT.trimEnd()}\n    return fib(n - 1) + fib(n - 2)\n`,
    );
  },
});
