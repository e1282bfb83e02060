/** Tests of the prompt built at a cursor. */

import { assert, assertEquals } from "@std/assert";
import { copilotLanguage, cursorLine, isSingleLine, pathMarker, promptAt } from "./prompt.ts";

Deno.test("pathMarker: in the language's comment syntax, block comments closed", () => {
  assertEquals(pathMarker("python", "a/b.py"), "# Path: a/b.py\n");
  assertEquals(pathMarker("typescript", "x.ts"), "// Path: x.ts\n");
  assertEquals(pathMarker("lua", "x.lua"), "-- Path: x.lua\n");
  assertEquals(pathMarker("html", "i.html"), "<!-- Path: i.html -->\n");
  assertEquals(pathMarker("css", "s.css"), "/* Path: s.css */\n");
});

Deno.test("copilotLanguage: editor ids mapped, plain text named by the extension", () => {
  assertEquals(copilotLanguage("sh", "x"), "shellscript");
  assertEquals(copilotLanguage("python", "x"), "python");
  assertEquals(copilotLanguage("", "src/main.rs"), "rust");
  assertEquals(copilotLanguage("plaintext", "notes"), "plaintext");
});

Deno.test("isSingleLine: a block after an opener or on a blank line, a line mid-text", () => {
  const at = (marked: string) => {
    const cursor = marked.includes("|") ? marked.indexOf("|") : marked.length;
    return isSingleLine(cursorLine(marked.replace("|", ""), cursor));
  };
  assertEquals(at("def f(n):"), false);
  assertEquals(at("    "), false);
  assertEquals(at("if (x) {"), false);
  assertEquals(at("foo(|)"), false);
  assertEquals(at("x = fo"), true);
  assertEquals(at("x = |y + 1"), true);
});

Deno.test("promptAt: marker, prefix and suffix, within the budget at line boundaries", () => {
  const request = promptAt({
    text: "a\nb|c\nd",
    offset: 3,
    language: "python",
    path: "p.py",
    n: 1,
  });
  assertEquals(request.prompt, "# Path: p.py\na\nb");
  assertEquals(request.suffix, "|c\nd");
  assertEquals(request.line, true);
  const long = "x = 1\n".repeat(20000);
  const big = promptAt({
    text: long + long,
    offset: long.length,
    language: "python",
    path: "p.py",
    n: 3,
  });
  assert(big.prompt.length + big.suffix!.length <= (8192 - 500) * 4);
  assert(big.prompt.startsWith("# Path: p.py\nx = 1\n"));
  assert(big.suffix!.startsWith("x = 1\n") && big.suffix!.endsWith("x = 1"));
  assert(big.suffix!.length <= (8192 - 500) * 4 * 0.15);
  assertEquals(big.n, 3);
});
