/**
 * Repository checks: the tree keeps the layout README's "Development" section
 * describes. Imports point only down the layers, no two test files share a
 * name, and lib/ files and functions stay short (or say why at their top).
 *
 * These read the project's own source files; they are the only tests that do.
 */

import { assert, assertEquals } from "@std/assert";

const ROOT = new URL("../../", import.meta.url);

/** The layers of lib/, lowest first: a folder may import only folders of a lower rank. */
const RANK: Record<string, number> = {
  base: 0,
  net: 1,
  cli: 1,
  auth: 2,
  copilot: 3,
  serve: 4,
  lsp: 4,
  agents: 4,
  commands: 5,
};

/** The longest a function may be, and a lib file, unless its header says why. */
const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 300;
/** The phrase a long file's module header uses to say why it is long. */
const LONG_FILE_REASON = "Why this file is long:";

/** Every `.ts` file below `dir` (a path relative to the root), sorted. */
async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string) => {
    for await (const entry of Deno.readDir(new URL(rel, ROOT))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) found.push(path);
    }
  };
  await walk(dir);
  return found.sort();
}

const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));

/** The lib/ folder a path belongs to (`lib/serve/routes/x.ts` → `serve`). */
function layerOf(path: string): string | undefined {
  const parts = path.split("/");
  return parts[0] === "lib" && parts.length > 2 ? parts[1] : undefined;
}

/** The relative module specifiers `text` imports, statically or dynamically. */
function importsOf(text: string): string[] {
  const code = text.replace(/^\s*\*.*$/gm, ""); // JSDoc examples are not imports
  return [...code.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]!);
}

/** Resolves `spec` against the file `from`, both relative to the root. */
function resolve(from: string, spec: string): string {
  return new URL(spec, new URL(from, "file:///")).pathname.slice(1);
}

Deno.test("lib/ imports only point down the layers", async () => {
  const upward: string[] = [];
  for (const file of await sources("lib")) {
    if (file.endsWith("_test.ts")) continue;
    const from = layerOf(file) ?? "";
    assert(from in RANK, `${file}: lib/${from} is not a known layer`);
    for (const spec of importsOf(await read(file))) {
      const target = resolve(file, spec);
      const to = layerOf(target);
      if (to === undefined || to === from) continue;
      if (!(RANK[to]! < RANK[from]!)) upward.push(`${file} → ${target}`);
    }
  }
  assertEquals(upward, [], "imports that point up or sideways");
});

Deno.test("no two test files share a name", async () => {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const dir of ["lib", "test", "bench", "scripts"]) {
    for (const file of await sources(dir)) {
      const name = file.split("/").at(-1)!;
      if (!name.endsWith("_test.ts")) continue;
      if (seen.has(name)) clashes.push(`${seen.get(name)} ~ ${file}`);
      seen.set(name, file);
    }
  }
  assertEquals(clashes, []);
});

/** Whether the declaration starting at line `i` opens a body: `{` ends it, or its `) … {` line. */
function opensBody(lines: string[], i: number, indent: string): boolean {
  const line = lines[i]!.trimEnd();
  if (line.endsWith("{")) return true;
  if (!line.endsWith("(")) return false;
  const close = lines.findIndex((l, j) => j > i && l.startsWith(`${indent})`));
  return close !== -1 && lines[close]!.trimEnd().endsWith("{");
}

/** The functions and methods of `text` longer than the limit, as `name (N lines)`. */
function longFunctions(text: string): string[] {
  const lines = text.split("\n");
  const long: string[] = [];
  const start =
    /^(\s*)(?:export\s+)?(?:async\s+)?(?:function\*?\s+(\w+)|(?:static\s+|private\s+|get\s+|set\s+)*(#?\w+)\s*(?:<[^>]*>)?\()/;
  const keyword =
    /^\s*(if|for|while|switch|catch|return|await|const|let|super|new|throw|yield|else|do|try|async)\b\s*\(/;
  for (const [i, line] of lines.entries()) {
    const m = start.exec(line);
    if (!m || keyword.test(line)) continue;
    if (m[3] && m[1]!.length === 0) continue; // a top-level call, not a method
    const indent = m[1]!;
    if (!opensBody(lines, i, indent)) continue; // a call, not a declaration
    const end = lines.findIndex((l, j) => j > i && l.startsWith(`${indent}}`));
    if (end === -1) continue;
    const length = end - i + 1;
    if (length > MAX_FUNCTION_LINES) long.push(`${m[2] ?? m[3]} (${length} lines)`);
  }
  return long;
}

Deno.test("lib/ files and functions are short, or say why", async () => {
  const problems: string[] = [];
  for (const file of await sources("lib")) {
    if (file.endsWith("_test.ts")) continue;
    const text = await read(file);
    const header = text.slice(0, text.indexOf("*/") + 2);
    const lines = text.split("\n").length;
    if (lines > MAX_FILE_LINES && !header.includes(LONG_FILE_REASON)) {
      problems.push(`${file}: ${lines} lines, and its header does not say "${LONG_FILE_REASON}"`);
    }
    for (const fn of longFunctions(text)) problems.push(`${file}: ${fn}`);
  }
  assertEquals(problems, []);
});

Deno.test("the length check finds a long function and a long method", () => {
  const body = Array.from({ length: MAX_FUNCTION_LINES }, (_, i) => `  const a${i} = ${i};`);
  const fn = ["export async function big(): Promise<void> {", ...body, "}"].join("\n");
  const method = ["class A {", "  #big(x: number) {", ...body.map((l) => `  ${l}`), "  }", "}"]
    .join("\n");
  assertEquals(longFunctions(fn), [`big (${MAX_FUNCTION_LINES + 2} lines)`]);
  assertEquals(longFunctions(method), [`#big (${MAX_FUNCTION_LINES + 2} lines)`]);
  assertEquals(longFunctions("function small() {\n  return 1;\n}"), []);
  const call = ["class A {", "  m() {", "    f(", ...body, "    );", "  }", "}"].join("\n");
  assertEquals(longFunctions(call), [`m (${MAX_FUNCTION_LINES + 4} lines)`]);
});

Deno.test("deno.lock locks only the packages deno.json's import map names (the CLI's own)", async () => {
  const config = JSON.parse(await read("deno.json")) as { imports: Record<string, string> };
  const mapped = new Set(
    Object.values(config.imports).map((target) =>
      /^npm:((?:@[^/]+\/)?[^/@]+@[^/]+)/.exec(target)?.[1]
    ),
  );
  const lock = JSON.parse(await read("deno.lock")) as { specifiers: Record<string, string> };
  // A test-only or check-only package here means someone ran a test without --lock=dev.lock:
  // the CLI's first run would then download it too.
  const extra = Object.keys(lock.specifiers).filter((spec) => !mapped.has(spec.slice(4)));
  assertEquals(extra, []);
});
