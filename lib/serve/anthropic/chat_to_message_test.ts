/** Tests of the non-streamed chat → Anthropic translation. */

import { assertEquals, assertMatch } from "@std/assert";
import { chatToAnthropic, parseArguments, stopReasonOf } from "./chat_to_message.ts";

Deno.test("chatToAnthropic: merges text and tool calls from separate choices", () => {
  const message = chatToAnthropic({
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: "Let me look.",
          reasoning_text: "hm",
          reasoning_opaque: "s",
        },
        finish_reason: "stop",
      },
      {
        index: 1,
        message: {
          role: "assistant",
          content: null,
          tool_calls: [{
            id: "c1",
            type: "function",
            function: { name: "Bash", arguments: '{"a":1}' },
          }],
        },
        finish_reason: "tool_calls",
      },
    ],
    usage: {
      prompt_tokens: 100,
      completion_tokens: 7,
      prompt_tokens_details: { cached_tokens: 60 },
    },
  }, "claude-sonnet-4-5-20250929");
  assertMatch(message.id, /^msg_[0-9a-f]{32}$/);
  assertEquals({ ...message, id: "" }, {
    id: "",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content: [
      { type: "thinking", thinking: "hm", signature: "s" },
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: "c1", name: "Bash", input: { a: 1 } },
    ],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 40, output_tokens: 7, cache_read_input_tokens: 60 },
  });
});

Deno.test("stopReasonOf and parseArguments", () => {
  assertEquals(stopReasonOf("stop", false), "end_turn");
  assertEquals(stopReasonOf("length", false), "max_tokens");
  assertEquals(stopReasonOf("content_filter", false), "end_turn");
  assertEquals(stopReasonOf("stop", true), "tool_use");
  assertEquals(parseArguments(""), {});
  assertEquals(parseArguments("{bad"), { _raw: "{bad" });
  const empty = chatToAnthropic({}, "m");
  assertEquals([empty.content, empty.stop_reason, empty.usage.input_tokens], [[], "end_turn", 0]);
});
