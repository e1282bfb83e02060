/** Tests of the Responses → chat request translation. */

import { assertEquals } from "@std/assert";
import { responsesToChat } from "./responses_to_chat.ts";

Deno.test("responsesToChat: a string input with instructions", () => {
  assertEquals(
    responsesToChat(
      { model: "gpt-5.1-codex", input: "hi", instructions: "Be brief.", max_output_tokens: 50 },
      "gpt-4.1",
    ),
    {
      model: "gpt-4.1",
      max_tokens: 50,
      messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
    },
  );
});

Deno.test("responsesToChat: a Codex tool loop with reasoning, images and hosted tools", () => {
  const chat = responsesToChat({
    model: "m",
    stream: true,
    parallel_tool_calls: true,
    reasoning: { effort: "low", summary: "auto" },
    tool_choice: "auto",
    text: {
      format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true },
    },
    tools: [
      { type: "function", name: "exec_command", parameters: { type: "object" }, strict: false },
      { type: "web_search" },
    ],
    input: [
      { type: "message", role: "developer", content: [{ type: "input_text", text: "rules" }] },
      {
        role: "user",
        content: [{ type: "input_text", text: "look" }, {
          type: "input_image",
          image_url: "data:image/png;base64,AA==",
          detail: "low",
        }],
      },
      {
        type: "reasoning",
        id: "rs_1",
        summary: [{ type: "summary_text", text: "plan" }],
        encrypted_content: "enc",
      },
      { type: "function_call", call_id: "c1", name: "exec_command", arguments: '{"cmd":"ls"}' },
      { type: "function_call", call_id: "c2", name: "exec_command", arguments: '{"cmd":"pwd"}' },
      { type: "function_call_output", call_id: "c1", output: "a.txt" },
      { type: "function_call_output", call_id: "c2", output: [{ type: "input_text", text: "/w" }] },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "done" }] },
    ],
  }, "gemini-2.5-pro");
  assertEquals(chat, {
    model: "gemini-2.5-pro",
    stream: true,
    parallel_tool_calls: true,
    reasoning_effort: "low",
    tool_choice: "auto",
    response_format: {
      type: "json_schema",
      json_schema: { name: "out", schema: { type: "object" }, strict: true },
    },
    tools: [{
      type: "function",
      function: { name: "exec_command", parameters: { type: "object" }, strict: false },
    }],
    messages: [
      { role: "system", content: "rules" },
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==", detail: "low" } },
        ],
      },
      {
        role: "assistant",
        content: null,
        reasoning_text: "plan",
        reasoning_opaque: "enc",
        tool_calls: [
          {
            id: "c1",
            type: "function",
            function: { name: "exec_command", arguments: '{"cmd":"ls"}' },
          },
          {
            id: "c2",
            type: "function",
            function: { name: "exec_command", arguments: '{"cmd":"pwd"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "a.txt" },
      { role: "tool", tool_call_id: "c2", content: "/w" },
      { role: "assistant", content: "done" },
    ],
  });
});

Deno.test("responsesToChat: tool choices", () => {
  const tools = [{ type: "function", name: "f" }];
  const choice = (tool_choice: unknown) =>
    responsesToChat({ model: "m", input: "x", tools, tool_choice } as never, "m").tool_choice;
  assertEquals(choice("required"), "required");
  assertEquals(choice("none"), "none");
  assertEquals(choice({ type: "function", name: "f" }), {
    type: "function",
    function: { name: "f" },
  });
  assertEquals(choice({ type: "web_search" }), "auto");
});
