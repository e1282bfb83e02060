/**
 * `copilot lsp` in real editors from Debian's packages, driven through tmux
 * against the fake: Neovim's built-in client (omni completion and a textEdit
 * applied through vim.lsp), Emacs' eglot (`completion-at-point`, one line and a block) and
 * lsp-mode (`completion-at-point`). Each is
 * skipped where the editor or tmux is missing.
 */

import { assertEquals } from "@std/assert";
import { sandbox } from "../fixtures/spawn_cli.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";
import { type EditorSession, editorSession, has } from "../fixtures/editor_session.ts";
import { lspWrapper, waitForFile } from "../fixtures/lsp_editor.ts";

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
    /** `command` in tmux with the sandbox's environment, 120 columns wide. */
    open: (command: string) => editorSession({ ...box.env, TERM: "xterm-256color" }, command, 120),
    async [Symbol.asyncDispose]() {
      await box[Symbol.asyncDispose]();
      await fake.close();
    },
  };
}

const NVIM_INIT = (server: string, ready: string) => `
-- Without this, opening a Python file probes for the Python provider (seconds).
vim.g.loaded_python3_provider = 0
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
    await using nvim = await env.open(`cd ${dir} && nvim --clean -n -u ${dir}/init.lua ${file}`);
    await waitForFile(`${dir}/ready`);
    // Omni completion (<C-x><C-o>) at the end of "    return fib".
    env.fake.config.completions.text = "(n - 1) + fib(n - 2)";
    await nvim.keys("G", "A");
    await nvim.keys("C-x", "C-o");
    await nvim.waitFor("return fib(n - 1) + fib(n - 2)");
    await nvim.keys("Escape");
    // A block at the end of "def fib(n):", applied through vim.lsp.util.apply_text_edits.
    env.fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
    await nvim.keys("g", "g", "$");
    await nvim.type(":lua CopilotInsert()\n");
    await nvim.waitFor("def fib(n):\n    if n < 2");
    await nvim.type(":wq\n");
    await nvim.waitUntil((s) => !s.includes("fib.py"), "Neovim to exit").catch(() => {});
    assertEquals(
      await Deno.readTextFile(file),
      `def fib(n):${DEFAULT_COMPLETION_TEXT.trimEnd()}\n    return fib(n - 1) + fib(n - 2)\n`,
    );
  },
});

/**
 * Emacs with the init file `init` makes (for the server and a ready marker) on a Python file:
 * `complete` asks for the completion at the end of "    return fib", which lands, and saves.
 */
async function emacsCompletes(
  init: (server: string, ready: string) => string,
  complete: (emacs: EditorSession) => Promise<unknown>,
): Promise<void> {
  await using env = await setup();
  const dir = env.box.home;
  const file = `${dir}/fib.py`;
  await Deno.writeTextFile(file, "def fib(n):\n    return fib\n");
  await Deno.writeTextFile(`${dir}/init.el`, init(env.server, `${dir}/ready`));
  await using emacs = await env.open(`cd ${dir} && emacs -nw -Q -l ${dir}/init.el ${file}`);
  await waitForFile(`${dir}/ready`);
  env.fake.config.completions.text = "(n - 1) + fib(n - 2)";
  await complete(emacs);
  await emacs.waitFor("return fib(n - 1) + fib(n - 2)");
  await emacs.keys("C-x", "C-s");
  await emacs.waitFor("Wrote");
  assertEquals(
    await Deno.readTextFile(file),
    "def fib(n):\n    return fib(n - 1) + fib(n - 2)\n",
  );
  assertEquals(env.fake.requestsTo("/v1/engines/").length, 1);
}

const EMACS_INIT = (server: string, ready: string) => `
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'eglot)
(setq make-backup-files nil auto-save-default nil create-lockfiles nil)
(add-to-list 'eglot-server-programs '(python-mode . ("${server}")))
(add-hook 'eglot-managed-mode-hook (lambda () (write-region "ready" nil "${ready}")))
(add-hook 'python-mode-hook #'eglot-ensure)
`;

function hasElpa(name: string): boolean {
  try {
    return [...Deno.readDirSync("/usr/share/emacs/site-lisp/elpa")].some((e) =>
      e.name.startsWith(`${name}-`)
    );
  } catch {
    return false;
  }
}

/** eglot from Debian's elpa-eglot, or built in (Emacs 29+). */
function hasEglot(): boolean {
  if (hasElpa("eglot")) return true;
  try {
    return has("emacs") && new Deno.Command("emacs", {
      args: ["--batch", "--eval", "(kill-emacs (if (require 'eglot nil t) 0 1))"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

Deno.test({
  name: "lsp in Emacs: eglot's completion-at-point inserts the suggestion",
  ignore: !(unix && has("emacs") && has("tmux") && hasEglot()),
  async fn() {
    await emacsCompletes(EMACS_INIT, async (emacs) => {
      await emacs.keys("M->", "Up", "End", "M-x");
      await emacs.type("completion-at-point");
      await emacs.keys("Enter");
    });
  },
});

const LSP_MODE_INIT = (server: string, ready: string) => `
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'lsp-mode)
(setq make-backup-files nil auto-save-default nil create-lockfiles nil
      lsp-auto-guess-root t lsp-enabled-clients '(copilot-cli) lsp-enable-snippet nil
      lsp-session-file (expand-file-name "lsp-session" user-emacs-directory))
(lsp-register-client
 (make-lsp-client :new-connection (lsp-stdio-connection '("${server}"))
                  :activation-fn (lsp-activate-on "python")
                  :server-id 'copilot-cli))
(add-hook 'lsp-after-open-hook (lambda () (write-region "ready" nil "${ready}")))
(add-hook 'python-mode-hook #'lsp)
`;

Deno.test({
  name: "lsp in Emacs: lsp-mode's completion-at-point inserts the suggestion",
  ignore: !(unix && has("emacs") && has("tmux") && hasElpa("lsp-mode")),
  async fn() {
    await emacsCompletes(LSP_MODE_INIT, (emacs) => emacs.keys("M->", "Up", "End", "C-M-i"));
  },
});
