/** Unit tests of content exclusion matching (exclusion.ts): globs, base names, regular expressions. */

import { assertEquals } from "@std/assert";
import { globToRegExp, isExcluded, rulesOf } from "./exclusion.ts";

Deno.test("globs: ** spans directories, * and ? stay in one, case-insensitive", () => {
  assertEquals(globToRegExp("/scripts/**").test("/scripts/a/b.sh"), true);
  assertEquals(globToRegExp("**/*.env").test("/a/b/.env"), true);
  assertEquals(globToRegExp("**/*.env").test("/x.env"), true);
  assertEquals(globToRegExp("/src/*.rs").test("/src/deep/k.rs"), false);
  assertEquals(globToRegExp("secret?.json").test("SECRET1.JSON"), true);
  assertEquals(globToRegExp("*.{cfg,ini}").test("a.ini"), true);
  assertEquals(globToRegExp("[!a]b").test("cb"), true);
});

Deno.test("rules: base-name patterns anywhere, rooted ones from the root, regexes on the start", () => {
  const rules = rulesOf({
    rules: [
      {
        paths: ["secrets.json", "/private/**"],
        source: { name: "octo-org", type: "Organization" },
      },
      { paths: [], ifAnyMatch: ["/BEGIN PRIVATE KEY/i"], source: { name: "octo/repo" } },
      "junk",
    ],
  });
  assertEquals(rules.sources, ["octo-org", "octo/repo"]);
  const check = (relative: string, head = "") =>
    isExcluded(rules, relative, `/home/me/repo${relative}`, head);
  assertEquals(check("/config/secrets.json"), true);
  assertEquals(check("/private/notes/a.md"), true);
  assertEquals(check("/src/private/a.md"), false);
  assertEquals(check("/src/a.py"), false);
  assertEquals(check("/src/key.pem", "-----begin private key-----"), true);
  assertEquals(
    isExcluded(rulesOf({ rules: [{ paths: [], ifNoneMatch: ["public"] }] }), "/a", "/a", "x"),
    true,
  );
  assertEquals(isExcluded(rulesOf(undefined), "/a", "/a", ""), false);
});
