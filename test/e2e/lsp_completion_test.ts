/**
 * `copilot lsp` end to end: the real CLI on stdio, driven by `vscode-jsonrpc`,
 * against the strict fake: initialize, documents, menu and inline completions,
 * multi-byte text in both position encodings, split frames, shutdown and exit.
 */

import { assert, assertEquals } from "@std/assert";
import { loggedIn } from "../fixtures/logged_in.ts";
import { DEFAULT_COMPLETION_TEXT, type FakeUpstream } from "../fixtures/fake_upstream/mod.ts";
import { type LspSession, startLsp } from "../fixtures/lsp_client.ts";

const TOKEN = "ghu_lspCompletionTestToken00000000000000";
const URI = "file:///work/project/src/fib.py";

function lastBody(
  fake: FakeUpstream,
): Record<string, unknown> & { extra: Record<string, unknown> } {
  return fake.requestsTo("/v1/engines/").at(-1)!.body as never;
}

function open(lsp: LspSession, uri: string, text: string, languageId = "python") {
  return lsp.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId, version: 1, text },
  });
}

interface MenuItem {
  label: string;
  insertTextMode: number;
  textEdit: { range: { start: unknown; end: unknown }; newText: string };
}

Deno.test("lsp: menu completions for editors without inline completion", async (t) => {
  await using env = await loggedIn(TOKEN);
  await using lsp = startLsp(env.box.env);
  const { connection } = lsp;
  const init = await lsp.initialize();

  await t.step("initialize offers the menu, incremental sync, UTF-16", () => {
    assertEquals(init.capabilities.positionEncoding, "utf-16");
    assertEquals(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert(init.capabilities.completionProvider);
    assertEquals(init.capabilities.inlineCompletionProvider, undefined);
    assertEquals(init.serverInfo?.name, "copilot");
  });
  await connection.sendNotification("initialized", {});

  await t.step("a completion's textEdit inserts the whole block at the cursor", async () => {
    await open(lsp, URI, "def fib(n):\n\nprint(fib(10))\n");
    const list = await connection.sendRequest("textDocument/completion", {
      textDocument: { uri: URI },
      position: { line: 0, character: 11 },
    }) as { isIncomplete: boolean; items: MenuItem[] };
    assertEquals(list.items.length, 1);
    const [item] = list.items;
    assertEquals(item!.textEdit, {
      range: { start: { line: 0, character: 11 }, end: { line: 0, character: 11 } },
      newText: DEFAULT_COMPLETION_TEXT.trimEnd(),
    });
    assertEquals(item!.insertTextMode, 1);
    assertEquals(item!.label, "if n < 2:  # fib(0) → 0, fib(1) → 1…");
  });

  await t.step("the prompt is built as the official clients build it", () => {
    const body = lastBody(env.fake);
    assertEquals(body.prompt, "# Path: src/fib.py\ndef fib(n):");
    assertEquals(body.suffix, "\n\nprint(fib(10))\n");
    assertEquals(body.n, 1);
    assertEquals(body.stop, ["\ndef ", "\nclass ", "\nif ", "\n\n#"]);
    assertEquals(body.extra.language, "python");
    assertEquals(body.extra.next_indent, 0);
  });

  await t.step("incremental and full changes; the word before the cursor is kept", async () => {
    env.fake.config.completions.text = "ci(n - 1)";
    await connection.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
        text: "    return fib",
      }],
    });
    const list = await connection.sendRequest("textDocument/completion", {
      textDocument: { uri: URI },
      position: { line: 1, character: 14 },
    }) as { items: MenuItem[] };
    assertEquals(list.items[0]!.textEdit, {
      range: { start: { line: 1, character: 11 }, end: { line: 1, character: 14 } },
      newText: "fibci(n - 1)",
    });
    const body = lastBody(env.fake);
    assertEquals(body.prompt, "# Path: src/fib.py\ndef fib(n):\n    return fib");
    assertEquals(body.stop, ["\n"]);
    await connection.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [{ text: "x = max(\n" }],
    });
    env.fake.config.completions.text = "1, 2)";
    const after = await connection.sendRequest("textDocument/completion", {
      textDocument: { uri: URI },
      position: { line: 0, character: 8 },
    }) as { items: MenuItem[] };
    assertEquals(after.items[0]!.textEdit.newText, "1, 2)");
    assertEquals(lastBody(env.fake).prompt, "# Path: src/fib.py\nx = max(");
  });

  await t.step("a suggestion that ends with the rest of the line replaces it", async () => {
    await connection.sendNotification("textDocument/didChange", {
      textDocument: { uri: URI, version: 4 },
      contentChanges: [{ text: "x = max()\n" }],
    });
    const list = await connection.sendRequest("textDocument/completion", {
      textDocument: { uri: URI },
      position: { line: 0, character: 8 },
    }) as { items: MenuItem[] };
    assertEquals(list.items[0]!.textEdit.range, {
      start: { line: 0, character: 8 },
      end: { line: 0, character: 9 },
    });
  });

  await t.step("shutdown then exit ends the process with 0", async () => {
    assertEquals(await lsp.stop(), 0);
    assertEquals(await lsp.stderr(), "");
  });
});

Deno.test("lsp: inline completions and multi-byte text in both encodings", async (t) => {
  await using env = await loggedIn(TOKEN);
  const line = "s = 'é🌍' + ";
  for (const encoding of ["utf-16", "utf-8"]) {
    await t.step(`${encoding}: the range counts é and 🌍 in ${encoding}`, async () => {
      await using lsp = startLsp(env.box.env);
      const init = await lsp.initialize({
        capabilities: {
          general: { positionEncodings: encoding === "utf-8" ? ["utf-8", "utf-16"] : ["utf-16"] },
          textDocument: { inlineCompletion: { dynamicRegistration: false } },
        },
      });
      assertEquals(init.capabilities.positionEncoding, encoding);
      assert(init.capabilities.inlineCompletionProvider);
      assertEquals(init.capabilities.completionProvider, undefined);
      await open(lsp, URI, `${line}\n`);
      env.fake.config.completions.text = "'ü'";
      const column = encoding === "utf-8" ? new TextEncoder().encode(line).length : line.length;
      const result = await lsp.connection.sendRequest("textDocument/inlineCompletion", {
        textDocument: { uri: URI },
        position: { line: 0, character: column },
        context: { triggerKind: 1 },
      }) as { items: { insertText: string; range: unknown; command: { command: string } }[] };
      assertEquals(result.items.length, 1);
      assertEquals(result.items[0]!.insertText, "'ü'");
      const at = { line: 0, character: column };
      assertEquals(result.items[0]!.range, { start: at, end: at });
      assertEquals(lastBody(env.fake).prompt, `# Path: src/fib.py\n${line}`);
      assertEquals(lastBody(env.fake).suffix, "\n");
      assertEquals(lastBody(env.fake).n, 3, "an invoked trigger cycles: 3, deduplicated");
      const automatic = await lsp.connection.sendRequest("textDocument/inlineCompletion", {
        textDocument: { uri: URI },
        position: { line: 0, character: column },
        context: { triggerKind: 2 },
      }) as { items: unknown[] };
      assertEquals(automatic.items.length, 1);
      assertEquals(lastBody(env.fake).n, 1);
      assertEquals(await lsp.stop(), 0);
    });
  }
});

Deno.test("lsp: frames split across writes and joined in one are all read", async () => {
  await using env = await loggedIn(TOKEN);
  await using lsp = startLsp(env.box.env);
  const encoder = new TextEncoder();
  const frame = (message: unknown) => {
    const body = encoder.encode(JSON.stringify(message));
    return new Uint8Array([...encoder.encode(`Content-Length: ${body.length}\r\n\r\n`), ...body]);
  };
  // Raw ids are strings the client never uses: their answers are dropped by its reader.
  const initialize = frame({ jsonrpc: "2.0", id: "raw-1", method: "initialize", params: {} });
  const text = "# é🌍\ndef fib(n):\n";
  const opened = frame({
    jsonrpc: "2.0",
    method: "textDocument/didOpen",
    params: { textDocument: { uri: URI, languageId: "python", version: 1, text } },
  });
  const version = frame({ jsonrpc: "2.0", id: "raw-2", method: "getVersion", params: {} });
  // Byte by byte for the first frame: the header and the body split everywhere.
  for (const byte of initialize) await lsp.rawWrite(new Uint8Array([byte]));
  // Two frames joined, cut inside the open's body right through the bytes of 🌍.
  const joined = new Uint8Array([...opened, ...version]);
  const cut = opened.length - 22; // `🌍\\ndef fib(n):\\n"}}}` ends the frame: 22 from the end is inside 🌍
  await lsp.rawWrite(joined.subarray(0, cut));
  await lsp.rawWrite(joined.subarray(cut));
  const result = await lsp.connection.sendRequest("getCompletions", {
    textDocument: { uri: URI, version: 1 },
    position: { line: 2, character: 0 },
  }) as { completions: { text: string }[] };
  assertEquals(result.completions.length, 1);
  assertEquals(lastBody(env.fake).prompt, `# Path: fib.py\n${text}`);
  assertEquals(await lsp.stop(), 0);
});
