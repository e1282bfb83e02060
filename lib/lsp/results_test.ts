/** Tests of placing a suggestion and its answer shapes. */

import { assertEquals } from "@std/assert";
import { githubCompletion, inlineItem, menuItem, place } from "./results.ts";

const input = (
  text: string,
  line: number,
  character: number,
  encoding: "utf-16" | "utf-8" = "utf-16",
) => {
  const lines = text.split("\n");
  const offset = lines.slice(0, line).join("\n").length + (line > 0 ? 1 : 0) + character;
  return { text, offset, position: { line, character }, version: 3, encoding };
};

Deno.test("place: trailing whitespace trimmed; blank suggestions dropped", () => {
  const at = input("x = ", 0, 4);
  assertEquals(place(at, "1  \n\n", "u")?.text, "1");
  assertEquals(place(at, " \n ", "u"), undefined);
});

Deno.test("place: replaces the rest of the line only when the suggestion ends with it", () => {
  const at = input("print()", 0, 6);
  assertEquals(place(at, '"hi")', "u")?.range.end, { line: 0, character: 7 });
  assertEquals(place(at, '"hi"', "u")?.range.end, { line: 0, character: 6 });
  assertEquals(place(at, ")", "u"), undefined);
});

Deno.test("menuItem: the word before the cursor is part of the edit; multi-line kept as is", () => {
  const at = input("    return fi", 0, 13);
  const placed = place(at, "b(n - 1)\n    x", "u")!;
  const item = menuItem(placed, "python", "utf-16");
  assertEquals(item.textEdit, {
    range: { start: { line: 0, character: 11 }, end: { line: 0, character: 13 } },
    newText: "fib(n - 1)\n    x",
  });
  assertEquals(item.label, "fib(n - 1)…");
  assertEquals(item.insertTextMode, 1);
  assertEquals(item.filterText, "fib(n - 1)");
});

Deno.test("menuItem: the word's start counts UTF-8 bytes when negotiated", () => {
  const at = input("é = naïv", 0, "é = naïv".length);
  const utf8 = { ...at, position: { line: 0, character: 10 }, encoding: "utf-8" as const };
  const item = menuItem(place(utf8, "e", "u")!, "python", "utf-8");
  assertEquals(item.textEdit.range.start, { line: 0, character: 5 });
  assertEquals(item.textEdit.newText, "naïve");
});

Deno.test("inlineItem and githubCompletion shapes", () => {
  const placed = place(input("def f():\n    ", 1, 4), "return 1", "id-1")!;
  assertEquals(inlineItem(placed).insertText, "return 1");
  assertEquals(inlineItem(placed).range, {
    start: { line: 1, character: 4 },
    end: { line: 1, character: 4 },
  });
  assertEquals(inlineItem(placed).command.arguments, ["id-1"]);
  assertEquals(githubCompletion(placed), {
    uuid: "id-1",
    text: "    return 1",
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } },
    displayText: "return 1",
    position: { line: 1, character: 4 },
    docVersion: 3,
  });
});
