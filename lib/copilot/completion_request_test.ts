import { assertEquals } from "@std/assert";
import { completionBody, defaultTemperature } from "./completion_request.ts";
import { languageOfPath } from "./languages.ts";

Deno.test("completionBody", async (t) => {
  await t.step("a block completion with the plugins' fields", () => {
    const body = completionBody({
      prompt: "def fib(n):\n",
      language: "python",
      suffix: "\n  x = 1\n",
    });
    assertEquals(body.stream, true);
    assertEquals(body.max_tokens, 500);
    assertEquals(body.temperature, 0);
    assertEquals(body.top_p, 1);
    assertEquals(body.n, 1);
    assertEquals(body.stop, ["\ndef ", "\nclass ", "\nif ", "\n\n#"]);
    assertEquals(body.extra, {
      language: "python",
      next_indent: 2,
      trim_by_indentation: true,
      prompt_tokens: 3,
      suffix_tokens: 3,
    });
  });

  await t.step("one line stops at the newline; --stop overrides", () => {
    assertEquals(completionBody({ prompt: "x", line: true }).stop, ["\n"]);
    assertEquals(completionBody({ prompt: "x", line: true, stop: [";"] }).stop, [";"]);
    assertEquals(completionBody({ prompt: "x" }).stop, ["\n\n\n", "\n```"]);
  });

  await t.step(
    "as the language server sends it: code_annotations, trimming, markdown stops",
    () => {
      const line = completionBody({ prompt: "x = ", language: "python", line: true });
      assertEquals(line.code_annotations, false);
      // Trimming follows the language's block mode, not line vs block.
      assertEquals((line.extra as Record<string, unknown>).trim_by_indentation, true);
      const ruby = completionBody({ prompt: "def f\n", language: "ruby" });
      assertEquals((ruby.extra as Record<string, unknown>).trim_by_indentation, false);
      assertEquals(completionBody({ prompt: "# T\n", language: "markdown" }).stop, ["\n\n\n"]);
    },
  );

  await t.step("a file path becomes the plugins' Path marker", () => {
    assertEquals(
      completionBody({ prompt: "let a", path: "src/a.ts", language: "typescript" }).prompt,
      "// Path: src/a.ts\nlet a",
    );
  });

  await t.step("temperature follows n like the plugins", () => {
    assertEquals([1, 3, 12, 25].map(defaultTemperature), [0, 0.2, 0.4, 0.8]);
    assertEquals(completionBody({ prompt: "x", n: 3 }).temperature, 0.2);
  });
});

Deno.test("languageOfPath guesses from the extension", () => {
  assertEquals(languageOfPath("a/b/fib.py"), "python");
  assertEquals(languageOfPath("C:\\x\\main.RS"), "rust");
  assertEquals(languageOfPath("Dockerfile"), "dockerfile");
  assertEquals(languageOfPath("notes"), undefined);
});
