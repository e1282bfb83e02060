/** Tests of the Anthropic → chat request translation. */

import { assertEquals } from "@std/assert";
import { anthropicToChat } from "./messages_to_chat.ts";
import type { MessagesRequest } from "./types.ts";

Deno.test("anthropicToChat: system, tool results before user text, tool_use, thinking", () => {
  const body: MessagesRequest = {
    model: "claude-sonnet-4-5-20250929",
    system: [{ type: "text", text: "You are terse." }, { type: "text", text: "Use tools." }],
    max_tokens: 1024,
    stream: true,
    temperature: 0.2,
    stop_sequences: ["\nEND"],
    thinking: { type: "enabled", budget_tokens: 2048 },
    tools: [
      { name: "Bash", description: "run", input_schema: { type: "object" } },
      { name: "web_search", type: "web_search_20250305" },
    ],
    tool_choice: { type: "any", disable_parallel_tool_use: true },
    messages: [
      { role: "user", content: "List files" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "ls it", signature: "sig1" },
          { type: "text", text: "Running ls." },
          { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "text", text: "here:" },
          {
            type: "tool_result",
            tool_use_id: "toolu_1",
            content: [{ type: "text", text: "a.txt" }, {
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "AA==" },
            }],
          },
        ],
      },
    ],
  };
  assertEquals(anthropicToChat(body, "claude-sonnet-4.5"), {
    model: "claude-sonnet-4.5",
    stream: true,
    max_tokens: 1024,
    temperature: 0.2,
    stop: ["\nEND"],
    thinking_budget: 2048,
    tools: [{
      type: "function",
      function: { name: "Bash", description: "run", parameters: { type: "object" } },
    }],
    tool_choice: "required",
    parallel_tool_calls: false,
    messages: [
      { role: "system", content: "You are terse.\n\nUse tools." },
      { role: "user", content: "List files" },
      {
        role: "assistant",
        content: "Running ls.",
        reasoning_text: "ls it",
        reasoning_opaque: "sig1",
        tool_calls: [{
          id: "toolu_1",
          type: "function",
          function: { name: "Bash", arguments: '{"command":"ls"}' },
        }],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "a.txt" },
      {
        role: "user",
        content: [
          { type: "text", text: "here:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
        ],
      },
    ],
  });
});

Deno.test("anthropicToChat: tool choices and errors of tools", () => {
  const base: MessagesRequest = {
    model: "m",
    tools: [{ name: "t" }],
    messages: [{
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "x", content: "boom", is_error: true }],
    }],
  };
  const none = anthropicToChat({ ...base, tool_choice: { type: "none" } }, "m");
  assertEquals(none.tool_choice, "none");
  assertEquals(none.messages, [{ role: "tool", tool_call_id: "x", content: "Error: boom" }]);
  assertEquals(none.tools?.[0]?.function.parameters, { type: "object", properties: {} });
  const named = anthropicToChat({ ...base, tool_choice: { type: "tool", name: "t" } }, "m");
  assertEquals(named.tool_choice, { type: "function", function: { name: "t" } });
  assertEquals(
    anthropicToChat({ ...base, tool_choice: { type: "auto" } }, "m").tool_choice,
    "auto",
  );
  const noTools = anthropicToChat({ ...base, tools: [], tool_choice: { type: "any" } }, "m");
  assertEquals([noTools.tools, noTools.tool_choice], [undefined, undefined]);
});
