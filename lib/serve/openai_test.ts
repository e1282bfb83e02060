import { assertEquals } from "@std/assert";
import { modelList, supportsChat, textCompletion, usageOf } from "./openai.ts";

Deno.test("modelList skips entries that do not parse and duplicates", () => {
  const list = modelList([
    { id: "gpt-4.1", vendor: "Azure OpenAI", capabilities: { type: "chat" } },
    { id: "gpt-4.1", vendor: "again" },
    { id: "plain" },
    { id: "broken", capabilities: "unknown" },
    { id: 3 },
    { name: "no id" },
    null,
    "text",
  ]);
  assertEquals(list, {
    object: "list",
    data: [
      { id: "gpt-4.1", object: "model", created: 0, owned_by: "Azure OpenAI" },
      { id: "plain", object: "model", created: 0, owned_by: "github-copilot" },
    ],
  });
});

Deno.test("supportsChat", () => {
  assertEquals(supportsChat({ id: "a" }), true);
  assertEquals(supportsChat({ id: "a", supported_endpoints: ["/chat/completions"] }), true);
  assertEquals(supportsChat({ id: "a", supported_endpoints: ["/responses"] }), false);
  assertEquals(supportsChat({ id: "a", supported_endpoints: [] }), false);
});

Deno.test("usageOf estimates 4 characters a token", () => {
  assertEquals(usageOf(["abcd", "abcde"], ["ab", ""]), {
    prompt_tokens: 3,
    completion_tokens: 1,
    total_tokens: 4,
  });
});

Deno.test("textCompletion builds one answer or chunk; usage only when given", () => {
  const head = { id: "cmpl-1", created: 7, model: "m" };
  const choice = { text: "hi", index: 0, logprobs: null, finish_reason: null };
  assertEquals(textCompletion(head, [choice]), {
    id: "cmpl-1",
    object: "text_completion",
    created: 7,
    model: "m",
    choices: [choice],
  });
  const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  assertEquals(textCompletion(head, [], usage).usage, usage);
  assertEquals("usage" in textCompletion(head, []), false);
});
