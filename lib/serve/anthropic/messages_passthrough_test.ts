/** Tests of the native `/v1/messages` request fix-ups. */

import { assertEquals } from "@std/assert";
import { filterAnthropicBeta, prepareMessagesBody } from "./messages_passthrough.ts";

Deno.test("filterAnthropicBeta: only the betas Copilot accepts", () => {
  assertEquals(
    filterAnthropicBeta(
      "claude-code-20250219,interleaved-thinking-2025-05-14, context-management-2025-06-27," +
        "thinking-token-count-2026-05-13,advanced-tool-use-2025-11-20",
    ),
    "interleaved-thinking-2025-05-14,context-management-2025-06-27,advanced-tool-use-2025-11-20",
  );
  assertEquals(filterAnthropicBeta("claude-code-20250219"), undefined);
  assertEquals(filterAnthropicBeta(null), undefined);
});

Deno.test("prepareMessagesBody: the fix-ups Copilot needs, the client's body untouched", () => {
  const body = {
    model: "claude-sonnet-4-5-20250929",
    max_tokens: 32000,
    temperature: 1,
    top_p: 0.9,
    cache_control: { type: "ephemeral" },
    system: [{ type: "text", text: "s", cache_control: { type: "ephemeral", scope: "global" } }],
    tools: [
      { name: "Bash", input_schema: {}, cache_control: { type: "ephemeral", scope: "x" } },
      { type: "web_search_20250305", name: "web_search" },
    ],
    messages: [
      { role: "user", content: "hi" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "mine", signature: "EqQBCkYIBx" },
          { type: "thinking", thinking: "foreign", signature: "enc@rs_1" },
          { type: "thinking", thinking: "unsigned" },
          { type: "text", text: "ok" },
        ],
      },
      { role: "assistant", content: [{ type: "thinking", thinking: "", signature: "x" }] },
    ],
  };
  const { body: out, changes } = prepareMessagesBody(body, { model: "claude-sonnet-4.5" });
  assertEquals(out === body, true, "fixed in place: an agent's body can be megabytes");
  assertEquals(out, {
    model: "claude-sonnet-4.5",
    max_tokens: 32000,
    temperature: 1,
    system: [{ type: "text", text: "s", cache_control: { type: "ephemeral" } }],
    tools: [{ name: "Bash", input_schema: {}, cache_control: { type: "ephemeral" } }],
    messages: [
      { role: "user", content: "hi" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "mine", signature: "EqQBCkYIBx" },
          { type: "text", text: "ok" },
        ],
      },
      { role: "user", content: "Please continue." },
    ],
  });
  assertEquals(changes.length, 6);
});

Deno.test("prepareMessagesBody: a signature check of the caller's own", () => {
  const body = {
    model: "m",
    top_p: 0.5,
    messages: [
      { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "other" }] },
      { role: "user", content: "go" },
    ],
  };
  const { body: out, changes } = prepareMessagesBody(body, {
    model: "m",
    isOwnSignature: (signature) => signature === "mine",
  });
  assertEquals(out.top_p, 0.5);
  assertEquals(out.messages, [{ role: "user", content: "go" }]);
  assertEquals(changes, ["1 thinking block(s) without a valid signature dropped"]);
});
