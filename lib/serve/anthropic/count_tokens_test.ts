/** Tests of the local token estimate. */

import { assert, assertEquals } from "@std/assert";
import { estimateInputTokens, IMAGE_TOKENS, TOOLS_OVERHEAD } from "./count_tokens.ts";

Deno.test("estimateInputTokens: errs high on plain text", () => {
  const text = "The quick brown fox jumps over the lazy dog. ".repeat(100);
  const estimate = estimateInputTokens({ model: "m", messages: [{ role: "user", content: text }] });
  // ~1000 real tokens (about 4.5 characters each); the estimate must not be lower.
  assert(estimate >= 1000 && estimate < 2000, `estimate ${estimate}`);
});

Deno.test("estimateInputTokens: images and tools at a fixed cost, base64 not counted", () => {
  const image = {
    type: "image",
    source: { type: "base64", media_type: "image/png", data: "A".repeat(90000) },
  };
  const withImage = estimateInputTokens({ messages: [{ role: "user", content: [image] }] });
  assert(withImage >= IMAGE_TOKENS && withImage < IMAGE_TOKENS + 50, `estimate ${withImage}`);
  const bare = estimateInputTokens({ messages: [{ role: "user", content: "hi" }] });
  const tools = estimateInputTokens({
    messages: [{ role: "user", content: "hi" }],
    tools: [{ name: "Bash", input_schema: { type: "object" } }],
  });
  assert(tools - bare >= TOOLS_OVERHEAD, `${tools} vs ${bare}`);
  assertEquals(estimateInputTokens(null), 1);
  assert(estimateInputTokens({ system: "x".repeat(300), messages: [] }) >= 100);
});
