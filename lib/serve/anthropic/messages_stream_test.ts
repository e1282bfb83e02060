/** Tests of the chat-stream → Anthropic SSE translation. */

import { assertEquals } from "@std/assert";
import type { ChatChunk } from "../agents/chat_types.ts";
import { parseEvents } from "../agents/sse_test_util.ts";
import { AnthropicStreamTranslator } from "./messages_stream.ts";

function run(chunks: ChatChunk[], model = "claude-sonnet-4-5-20250929") {
  const translator = new AnthropicStreamTranslator(model);
  const out = chunks.flatMap((chunk) => translator.push(chunk));
  return parseEvents([...out, ...translator.finish()]);
}

const delta = (index: number, d: Record<string, unknown>, finish: string | null = null) => ({
  choices: [{ index, delta: d, finish_reason: finish }],
});

Deno.test("stream: thinking with signature, text, then a tool call from choices[1]", () => {
  const events = run([
    { choices: [], usage: null },
    delta(0, { role: "assistant", reasoning_text: "Let me " }),
    delta(0, { reasoning_text: "think." }),
    delta(0, { reasoning_opaque: "sig==" }),
    delta(0, { content: "Running " }),
    delta(0, { content: "it." }, "stop"),
    delta(1, {
      tool_calls: [{
        index: 0,
        id: "call_1",
        type: "function",
        function: { name: "Bash", arguments: "" },
      }],
    }),
    delta(1, { tool_calls: [{ index: 0, function: { arguments: '{"command":' } }] }),
    delta(1, { tool_calls: [{ index: 0, function: { arguments: '"echo hi"}' } }] }, "tool_calls"),
    { choices: [], usage: { prompt_tokens: 50, completion_tokens: 9 } },
  ]);
  assertEquals(events.map((e) => e.event), [
    "message_start",
    "ping",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  const start = events[0]!.data.message;
  assertEquals([start.model, start.role, start.content, start.usage.output_tokens], [
    "claude-sonnet-4-5-20250929",
    "assistant",
    [],
    0,
  ]);
  assertEquals(events[2]!.data, {
    type: "content_block_start",
    index: 0,
    content_block: { type: "thinking", thinking: "" },
  });
  assertEquals(events[5]!.data.delta, { type: "signature_delta", signature: "sig==" });
  assertEquals(events[8]!.data, {
    type: "content_block_delta",
    index: 1,
    delta: { type: "text_delta", text: "Running " },
  });
  assertEquals(events[11]!.data.content_block, {
    type: "tool_use",
    id: "call_1",
    name: "Bash",
    input: {},
  });
  const json = events.slice(12, 14).map((e) => e.data.delta.partial_json).join("");
  assertEquals(JSON.parse(json), { command: "echo hi" });
  assertEquals(events[14]!.data.index, 2);
  assertEquals(events[15]!.data, {
    type: "message_delta",
    delta: { stop_reason: "tool_use", stop_sequence: null },
    usage: { input_tokens: 50, output_tokens: 9, cache_read_input_tokens: 0 },
  });
});

Deno.test("stream: parallel calls and a second call reusing index 0 get their own blocks", () => {
  const events = run([
    delta(0, { tool_calls: [{ index: 0, id: "a", function: { name: "A", arguments: "{}" } }] }),
    delta(0, { tool_calls: [{ index: 1, id: "b", function: { name: "B", arguments: "{" } }] }),
    delta(0, { tool_calls: [{ index: 1, function: { arguments: "}" } }] }),
    delta(0, { tool_calls: [{ index: 0, id: "c", function: { name: "C" } }] }, "tool_calls"),
  ]);
  const starts = events.filter((e) => e.event === "content_block_start");
  assertEquals(starts.map((e) => [e.data.index, e.data.content_block.id]), [[0, "a"], [1, "b"], [
    2,
    "c",
  ]]);
  assertEquals(events.filter((e) => e.event === "content_block_stop").length, 3);
  assertEquals(events.at(-2)!.data.delta.stop_reason, "tool_use");
});

Deno.test("stream: length → max_tokens; text-only ends end_turn", () => {
  assertEquals(
    run([delta(0, { content: "x" }, "length")]).at(-2)!.data.delta.stop_reason,
    "max_tokens",
  );
  assertEquals(
    run([delta(0, { content: "x" }, "stop")]).at(-2)!.data.delta.stop_reason,
    "end_turn",
  );
});

Deno.test("stream: a stream cut before any finish_reason ends with an error event", () => {
  const events = run([delta(0, { content: "partial" })]);
  assertEquals(events.at(-1), {
    event: "error",
    data: {
      type: "error",
      error: {
        type: "api_error",
        message: "Copilot's stream ended before the answer was complete",
      },
    },
  });
  assertEquals(events.some((e) => e.event === "message_stop"), false);
});

Deno.test("stream: fail() ends the stream once; nothing after it", () => {
  const translator = new AnthropicStreamTranslator("m");
  translator.push(delta(0, { content: "a" }));
  const failed = parseEvents(translator.fail("upstream dropped"));
  assertEquals(failed.map((e) => [e.event, e.data.error.type]), [["error", "api_error"]]);
  assertEquals([translator.push(delta(0, { content: "b" })), translator.finish()], [[], []]);
});
