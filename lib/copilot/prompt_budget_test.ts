/** Unit tests of the prompt token budget (prompt_budget.ts) and its use in the completion body. */

import { assertEquals } from "@std/assert";
import { fitPrompt, MAX_PROMPT_TOKENS, promptLimits } from "./prompt_budget.ts";
import { budgetedPrompt, completionBody } from "./completion_request.ts";

Deno.test("the budget: 7692 without a suffix; 6533 + 1154 (5 reserved) with one", () => {
  assertEquals(promptLimits(false), { prefix: MAX_PROMPT_TOKENS, suffix: 0 });
  assertEquals(promptLimits(true), { prefix: 6533, suffix: 1154 });
});

Deno.test("a prompt within the budget is sent whole", () => {
  const fitted = fitPrompt("def f():\n", "    pass\n");
  assertEquals([fitted.prefix, fitted.suffix], ["def f():\n", "    pass\n"]);
  assertEquals(fitted.prefixTokensCut + fitted.suffixTokensCut, 0);
});

Deno.test("the prefix keeps its end, the suffix its start", () => {
  const prefix = "A".repeat(50_000) + "nearest";
  const suffix = "next" + "Z".repeat(50_000);
  const fitted = fitPrompt(prefix, suffix);
  assertEquals(fitted.prefix.length, 6533 * 4);
  assertEquals(fitted.suffix.length, 1154 * 4);
  assertEquals(fitted.prefix.endsWith("nearest"), true);
  assertEquals(fitted.suffix.startsWith("next"), true);
  assertEquals(fitted.prefixCharsCut, prefix.length - 6533 * 4);
  assertEquals(fitted.suffixCharsCut, suffix.length - 1154 * 4);
});

Deno.test("a surrogate pair is never split", () => {
  const fitted = fitPrompt("😀".repeat(20_000), "");
  assertEquals(fitted.prefix.codePointAt(0), 0x1f600);
});

Deno.test("a 5 MB buffer goes out within the budget, the path marker counted", () => {
  const request = { prompt: "x".repeat(5 * 1024 * 1024), path: "big.py", language: "python" };
  const body = completionBody(request);
  const prompt = body.prompt as string;
  assertEquals(prompt.startsWith("# Path: big.py\n"), true);
  assertEquals(prompt.length, MAX_PROMPT_TOKENS * 4);
  assertEquals((body.extra as Record<string, number>).prompt_tokens, MAX_PROMPT_TOKENS);
  const { fitted } = budgetedPrompt(request);
  assertEquals(fitted.prefixCharsCut, 5 * 1024 * 1024 - (MAX_PROMPT_TOKENS * 4 - 15));
});
