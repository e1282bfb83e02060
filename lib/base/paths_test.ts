import { assertEquals } from "@std/assert";
import { pathOps } from "./paths.ts";

const posix = pathOps(false);
const win = pathOps(true);

Deno.test("join puts one separator between segments", () => {
  assertEquals(posix.join("/home/me", ".config", "copilot"), "/home/me/.config/copilot");
  assertEquals(posix.join("/home/me/", "auth.json"), "/home/me/auth.json");
  assertEquals(posix.join("/", "etc"), "/etc");
  assertEquals(posix.join("", "a"), "a");
  assertEquals(posix.join(), ".");
  assertEquals(win.join("C:\\Users\\me", "AppData", "Roaming"), "C:\\Users\\me\\AppData\\Roaming");
  assertEquals(win.join("C:\\", "x"), "C:\\x");
  assertEquals(win.join("C:/Users/", "me"), "C:/Users/me");
});

Deno.test("dirname drops the last segment and keeps the root", () => {
  assertEquals(posix.dirname("/home/me/auth.json"), "/home/me");
  assertEquals(posix.dirname("/home/me/dir/"), "/home/me");
  assertEquals(posix.dirname("/etc"), "/");
  assertEquals(posix.dirname("/"), "/");
  assertEquals(posix.dirname("name"), ".");
  assertEquals(posix.dirname("a//b"), "a");
  assertEquals(win.dirname("C:\\Users\\me\\auth.json"), "C:\\Users\\me");
  assertEquals(win.dirname("C:\\auth.json"), "C:\\");
  assertEquals(win.dirname("C:\\"), "C:\\");
  assertEquals(win.dirname("C:/Users/me"), "C:/Users");
  assertEquals(win.dirname("\\\\server\\share\\f"), "\\\\server\\share");
  assertEquals(win.dirname("name"), ".");
});

Deno.test("basename is the last segment", () => {
  assertEquals(posix.basename("/src/main.py"), "main.py");
  assertEquals(posix.basename("/src/dir/"), "dir");
  assertEquals(posix.basename("main.py"), "main.py");
  assertEquals(posix.basename("a\\b.py"), "a\\b.py");
  assertEquals(posix.basename("/"), "");
  assertEquals(win.basename("C:\\src\\main.py"), "main.py");
  assertEquals(win.basename("C:/src/Makefile"), "Makefile");
  assertEquals(win.basename("C:\\"), "");
});

Deno.test("isAbsolute knows each OS's roots", () => {
  assertEquals(posix.isAbsolute("/etc"), true);
  assertEquals(posix.isAbsolute("etc"), false);
  assertEquals(posix.isAbsolute("C:\\x"), false);
  assertEquals(win.isAbsolute("C:\\x"), true);
  assertEquals(win.isAbsolute("C:/x"), true);
  assertEquals(win.isAbsolute("\\x"), true);
  assertEquals(win.isAbsolute("C:x"), false);
  assertEquals(win.isAbsolute("x\\y"), false);
});
