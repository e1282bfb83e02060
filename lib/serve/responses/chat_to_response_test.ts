/** Tests of the non-streamed chat → Responses translation. */

import { assertEquals, assertMatch } from "@std/assert";
import { chatToResponse, statusOf } from "./chat_to_response.ts";

Deno.test("chatToResponse: reasoning, text and calls from separate choices", () => {
  const response = chatToResponse({
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Checking.", reasoning_text: "r" },
        finish_reason: "stop",
      },
      {
        index: 1,
        message: {
          role: "assistant",
          content: null,
          tool_calls: [{
            id: "call_1",
            type: "function",
            function: { name: "exec", arguments: "{}" },
          }],
        },
        finish_reason: "tool_calls",
      },
    ],
    usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
  }, { model: "gpt-5.1-codex", input: "x", instructions: "i" });
  assertMatch(response.id, /^resp_/);
  assertEquals([response.object, response.status, response.model, response.instructions], [
    "response",
    "completed",
    "gpt-5.1-codex",
    "i",
  ]);
  assertEquals(response.output.map((item) => item.type), ["reasoning", "message", "function_call"]);
  assertEquals(response.output[1], {
    type: "message",
    id: (response.output[1] as { id: string }).id,
    role: "assistant",
    status: "completed",
    content: [{ type: "output_text", text: "Checking.", annotations: [] }],
  });
  assertEquals((response.output[2] as { call_id: string }).call_id, "call_1");
  assertEquals(response.usage, {
    input_tokens: 20,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 5,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 25,
  });
});

Deno.test("statusOf: length and content_filter are incomplete", () => {
  assertEquals(statusOf("length"), {
    status: "incomplete",
    incomplete_details: { reason: "max_output_tokens" },
  });
  assertEquals(statusOf("content_filter").incomplete_details, { reason: "content_filter" });
  assertEquals(statusOf("stop"), { status: "completed", incomplete_details: null });
});
