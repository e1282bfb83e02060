import { assertEquals } from "@std/assert";
import { chatToResponses, responseToChat } from "./chat_via_responses.ts";
import { ChatFromResponses } from "./chat_via_responses_stream.ts";

Deno.test("chatToResponses: a tool loop becomes items; tools and limits carried", () => {
  const body = {
    model: "gpt-5-codex",
    max_tokens: 100,
    temperature: 0.2,
    tools: [{ type: "function", function: { name: "ls", parameters: { type: "object" } } }],
    tool_choice: { type: "function", function: { name: "ls" } },
    messages: [
      {
        role: "user",
        content: [{ type: "text", text: "list" }, {
          type: "image_url",
          image_url: { url: "data:x" },
        }],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "ls", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "a.txt" },
    ],
  };
  assertEquals(chatToResponses(body, "gpt-5-codex"), {
    model: "gpt-5-codex",
    store: false,
    input: [
      {
        role: "user",
        content: [{ type: "input_text", text: "list" }, {
          type: "input_image",
          image_url: "data:x",
        }],
      },
      { type: "function_call", call_id: "c1", name: "ls", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "a.txt" },
    ],
    max_output_tokens: 100,
    temperature: 0.2,
    tools: [{ type: "function", name: "ls", parameters: { type: "object" } }],
    tool_choice: { type: "function", name: "ls" },
  });
});

Deno.test("responseToChat: text and calls, finish reason and usage", () => {
  const chat = responseToChat({
    id: "resp_1",
    status: "completed",
    output: [
      { type: "reasoning", summary: [] },
      { type: "function_call", call_id: "c1", name: "ls", arguments: "{}" },
    ],
    usage: { input_tokens: 4, output_tokens: 1 },
  }, "gpt-5-codex");
  const choice = (chat.choices as { message: unknown; finish_reason: string }[])[0]!;
  assertEquals(choice.message, {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "c1", type: "function", function: { name: "ls", arguments: "{}" } }],
  });
  assertEquals(choice.finish_reason, "tool_calls");
  assertEquals(chat.usage, { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 });
});

Deno.test("ChatFromResponses: a streamed call, and a stream cut short", () => {
  const bridge = new ChatFromResponses("m");
  const push = (event: unknown) => bridge.push({ data: JSON.stringify(event) });
  const out = [
    ...push({
      type: "response.output_item.added",
      output_index: 1,
      item: { type: "function_call", call_id: "c1", name: "ls" },
    }),
    ...push({ type: "response.function_call_arguments.delta", output_index: 1, delta: "{}" }),
    ...push({ type: "response.completed", response: { status: "completed" } }),
  ];
  const chunks = out.filter((e) => !e.includes("[DONE]")).map((e) => JSON.parse(e.slice(6)));
  assertEquals(chunks[1].choices[0].delta.tool_calls[0].id, "c1");
  assertEquals(chunks[2].choices[0].delta.tool_calls[0].function.arguments, "{}");
  assertEquals(chunks.at(-1).choices[0].finish_reason, "tool_calls");
  assertEquals(out.at(-1), "data: [DONE]\n\n");
  assertEquals(bridge.finish(), []);
  const cut = new ChatFromResponses("m");
  const error = JSON.parse(cut.finish()[0]!.slice(6));
  assertEquals(error.error.message, "Copilot's stream ended before the response completed");
});
