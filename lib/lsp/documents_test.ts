/** Tests of the document store and position conversions. */

import { assertEquals } from "@std/assert";
import { applyChange, columnOf, Documents, offsetAt, positionAt } from "./documents.ts";

const TEXT = "a é🌍 b\r\nsecond\nthird";

Deno.test("offsetAt / positionAt: UTF-16 and UTF-8 columns of é and 🌍", () => {
  const afterGlobe = "a é🌍".length; // 5 UTF-16 units
  assertEquals(offsetAt(TEXT, { line: 0, character: 5 }, "utf-16"), afterGlobe);
  assertEquals(offsetAt(TEXT, { line: 0, character: 1 + 1 + 2 + 4 }, "utf-8"), afterGlobe);
  assertEquals(positionAt(TEXT, afterGlobe, "utf-16"), { line: 0, character: 5 });
  assertEquals(positionAt(TEXT, afterGlobe, "utf-8"), { line: 0, character: 8 });
  assertEquals(columnOf("é🌍", "utf-8"), 6);
  assertEquals(columnOf("é🌍", "utf-16"), 3);
});

Deno.test("offsetAt: past the line's end clamps before \\r\\n; past the last line to the end", () => {
  assertEquals(offsetAt(TEXT, { line: 0, character: 99 }, "utf-16"), TEXT.indexOf("\r"));
  assertEquals(offsetAt(TEXT, { line: 0, character: 99 }, "utf-8"), TEXT.indexOf("\r"));
  assertEquals(offsetAt(TEXT, { line: 1, character: 3 }, "utf-16"), TEXT.indexOf("second") + 3);
  assertEquals(offsetAt(TEXT, { line: 9, character: 0 }, "utf-16"), TEXT.length);
  assertEquals(positionAt(TEXT, TEXT.length, "utf-16"), { line: 2, character: 5 });
});

Deno.test("applyChange: incremental edits in either encoding, and full text", () => {
  const range = (l1: number, c1: number, l2: number, c2: number) => ({
    start: { line: l1, character: c1 },
    end: { line: l2, character: c2 },
  });
  assertEquals(applyChange("é🌍x", { range: range(0, 3, 0, 4), text: "y" }, "utf-16"), "é🌍y");
  assertEquals(applyChange("é🌍x", { range: range(0, 6, 0, 7), text: "y" }, "utf-8"), "é🌍y");
  assertEquals(
    applyChange("ab\ncd", { range: range(0, 1, 1, 1), text: "X\nY" }, "utf-16"),
    "aX\nYd",
  );
  assertEquals(applyChange("ab", { text: "new" }, "utf-16"), "new");
});

Deno.test("Documents: open, change several entries in order, close", () => {
  const docs = new Documents();
  docs.open({ uri: "u", languageId: "python", version: 1, text: "abc" });
  docs.change("u", 2, [
    { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, text: "\nd" },
    { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 1 } }, text: "e" },
  ]);
  assertEquals(docs.get("u")?.text, "abc\nde");
  assertEquals(docs.get("u")?.version, 2);
  docs.change("other", 5, [{ text: "ignored" }]);
  assertEquals(docs.size, 1);
  docs.close("u");
  assertEquals(docs.get("u"), undefined);
});
