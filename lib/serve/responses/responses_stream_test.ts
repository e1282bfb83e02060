/** Tests of the chat-stream → Responses SSE translation. */

import { assertEquals } from "@std/assert";
import type { ChatChunk } from "../agents/chat_types.ts";
import { parseEvents, textResponseEvents } from "../agents/sse_test_util.ts";
import { ResponsesStreamTranslator } from "./responses_stream.ts";

const delta = (index: number, d: Record<string, unknown>, finish: string | null = null) => ({
  choices: [{ index, delta: d, finish_reason: finish }],
});

function run(chunks: ChatChunk[]) {
  const translator = new ResponsesStreamTranslator({ model: "gpt-5.1-codex", input: "x" });
  return parseEvents([
    ...chunks.flatMap((chunk) => translator.push(chunk)),
    ...translator.finish(),
  ]);
}

Deno.test("stream: the event sequence the openai SDK accepts, text only", () => {
  const events = run([
    { choices: [] },
    delta(0, { role: "assistant", content: "Hel" }),
    delta(0, { content: "lo" }, "stop"),
    { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
  ]);
  assertEquals(events.map((e) => e.event), textResponseEvents(2));
  assertEquals(events.map((e) => e.data.sequence_number), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertEquals(events.every((e) => e.data.type === e.event), true);
  const itemId = events[2]!.data.item.id;
  assertEquals(
    events.slice(3, 9).every((e) => (e.data.item_id ?? e.data.item.id) === itemId),
    true,
  );
  assertEquals(events[6]!.data.text, "Hello");
  const completed = events.at(-1)!.data.response;
  assertEquals([completed.status, completed.usage.total_tokens], ["completed", 5]);
  assertEquals(completed.output[0].content, [{
    type: "output_text",
    text: "Hello",
    annotations: [],
  }]);
  assertEquals(completed.id, events[0]!.data.response.id);
});

Deno.test("stream: reasoning, then a function call from another choice", () => {
  const events = run([
    delta(0, { reasoning_text: "think" }),
    delta(0, { reasoning_opaque: "enc" }),
    delta(1, {
      tool_calls: [{ index: 0, id: "call_1", function: { name: "exec", arguments: '{"c' } }],
    }),
    delta(1, { tool_calls: [{ index: 0, function: { arguments: 'md":"ls"}' } }] }, "tool_calls"),
  ]);
  assertEquals(events.map((e) => e.event).slice(2), [
    "response.output_item.added",
    "response.reasoning_summary_part.added",
    "response.reasoning_summary_text.delta",
    "response.reasoning_summary_text.done",
    "response.reasoning_summary_part.done",
    "response.output_item.done",
    "response.output_item.added",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "response.output_item.done",
    "response.completed",
  ]);
  assertEquals(events[7]!.data.item, {
    type: "reasoning",
    id: events[2]!.data.item.id,
    summary: [{ type: "summary_text", text: "think" }],
    encrypted_content: "enc",
  });
  assertEquals(events[8]!.data.item.call_id, "call_1");
  assertEquals(events[11]!.data.arguments, '{"cmd":"ls"}');
  const output = events.at(-1)!.data.response.output;
  assertEquals(output.map((item: { type: string }) => item.type), ["reasoning", "function_call"]);
  assertEquals(output[1].status, "completed");
});

Deno.test("stream: length → response.incomplete; a cut stream → error", () => {
  const incomplete = run([delta(0, { content: "x" }, "length")]).at(-1)!;
  assertEquals(incomplete.event, "response.incomplete");
  assertEquals(incomplete.data.response.incomplete_details, { reason: "max_output_tokens" });
  const cut = run([delta(0, { content: "x" })]);
  assertEquals(cut.at(-1)!.event, "error");
  assertEquals(cut.at(-1)!.data.code, "stream_incomplete");
  assertEquals(cut.some((e) => e.event === "response.completed"), false);
});
