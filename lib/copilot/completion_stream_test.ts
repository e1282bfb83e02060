import { assertEquals, assertRejects } from "@std/assert";
import { type CompletionChunk, completionChunks } from "./completion_stream.ts";
import { CopilotError } from "../base/errors.ts";
import type { SseItem } from "./sse.ts";

function run(items: SseItem[]): Promise<CompletionChunk[]> {
  return Array.fromAsync(completionChunks(ReadableStream.from(items)));
}

const event = (choices: unknown[]): SseItem => ({ data: JSON.stringify({ choices }) });

Deno.test("completionChunks", async (t) => {
  await t.step("yields text per choice index, finish reasons included", async () => {
    assertEquals(
      await run([
        event([{ text: "a", index: 0, finish_reason: null }]),
        event([{ text: "b", index: 1 }]),
        event([{ index: 0, finish_reason: "stop" }]),
        event([{ delta: { content: "c" }, index: 1, finish_reason: "length" }]),
        { data: "[DONE]" },
      ]),
      [
        { index: 0, text: "a", finishReason: null },
        { index: 1, text: "b", finishReason: null },
        { index: 0, text: "", finishReason: "stop" },
        { index: 1, text: "c", finishReason: "length" },
      ],
    );
  });

  await t.step("skips events without choices and malformed events", async () => {
    assertEquals(
      await run([
        { data: '{"copilot_references":[]}' },
        { data: "{not json" },
        event([{ text: "x" }]),
        { data: "[DONE]" },
        event([{ text: "after done" }]),
      ]),
      [{ index: 0, text: "x", finishReason: null }],
    );
  });

  await t.step("an error event or a trailing JSON error is reported", async () => {
    const inEvent = await assertRejects(
      () => run([{ data: '{"error":{"message":"model overloaded"}}' }]),
      CopilotError,
    );
    assertEquals(inEvent.message, "Copilot reported an error: model overloaded");
    await assertRejects(
      () => run([event([{ text: "x" }]), { other: '{"error":{"message":"late"}}' }]),
      CopilotError,
      "late",
    );
  });

  await t.step("a stream that ends early is cut off unless every choice finished", async () => {
    await assertRejects(() => run([event([{ text: "x" }])]), CopilotError, "completion cut off");
    await assertRejects(() => run([]), CopilotError, "completion cut off");
    assertEquals((await run([event([{ text: "x", finish_reason: "stop" }])])).length, 1);
  });
});
