/** Tests of the translators wired into the pull-stream toolkit. */

import { assertEquals } from "@std/assert";
import { AnthropicStreamTranslator } from "../anthropic/messages_stream.ts";
import { ResponsesStreamFixer } from "../responses/responses_passthrough.ts";
import { ResponsesStreamTranslator } from "../responses/responses_stream.ts";
import { parseEvents, textResponseEvents } from "./sse_test_util.ts";
import { fixerHooks, sseThrough, translatorHooks } from "./translate_stream.ts";

function body(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return ReadableStream.from(parts.map((part) => encoder.encode(part)));
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  return (await Array.fromAsync(stream)).map((bytes) => decoder.decode(bytes));
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

Deno.test("sseThrough: a chat stream split anywhere becomes Anthropic events", async () => {
  const raw = chunk({ content: "Hé" }) + chunk({ content: "llo" }, "stop") + "data: [DONE]\n\n";
  const bytes = new TextEncoder().encode(raw);
  const pieces = Array.from(bytes, (byte) => new Uint8Array([byte]));
  const out = await text(
    sseThrough(ReadableStream.from(pieces), translatorHooks(new AnthropicStreamTranslator("m"))),
  );
  const events = parseEvents(out);
  assertEquals(events.at(-1)!.event, "message_stop");
  const said = events.map((e) => e.data.delta?.text ?? "").join("");
  assertEquals(said, "Héllo");
});

Deno.test("sseThrough: empty chunks yield nothing but the stream goes on", async () => {
  const out = await text(
    sseThrough(
      body(
        'data: {"choices":[]}\n\n',
        chunk({}, "stop"),
        chunk({ content: "late" }),
        "data: [DONE]\n\n",
      ),
      translatorHooks(new ResponsesStreamTranslator({ model: "m", input: "x" })),
    ),
  );
  const events = parseEvents(out);
  assertEquals(events.map((e) => e.event), textResponseEvents(1));
});

Deno.test("sseThrough: an error payload, a bare JSON error or a cut body fail the translation", async () => {
  const inStream = parseEvents(
    await text(sseThrough(
      body(chunk({ content: "a" }), 'data: {"error":{"message":"boom"}}\n\n', chunk({}, "stop")),
      translatorHooks(new AnthropicStreamTranslator("m")),
    )),
  );
  assertEquals(inStream.at(-1), {
    event: "error",
    data: { type: "error", error: { type: "api_error", message: "Copilot: boom" } },
  });
  const bare = parseEvents(
    await text(sseThrough(
      body(chunk({ content: "a" }), '{"error":{"message":"late"}}\n'),
      translatorHooks(new AnthropicStreamTranslator("m")),
    )),
  );
  assertEquals(bare.at(-1)!.data.error.message, "Copilot: late");
  const broken = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(chunk({ content: "a" })));
      controller.error(new Error("connection reset"));
    },
  });
  const cut = parseEvents(
    await text(
      sseThrough(
        broken,
        translatorHooks(new ResponsesStreamTranslator({ model: "m", input: "x" })),
      ),
    ),
  );
  assertEquals([cut.at(-1)!.event, cut.at(-1)!.data.message], [
    "error",
    "Copilot's stream broke off: connection reset",
  ]);
  const ended = parseEvents(
    await text(
      sseThrough(
        body(chunk({ content: "a" })),
        translatorHooks(new AnthropicStreamTranslator("m")),
      ),
    ),
  );
  assertEquals(
    ended.at(-1)!.data.error.message,
    "Copilot's stream ended before the answer was complete",
  );
});

Deno.test("sseThrough: the Responses fixer adds an error when response.completed never comes", async () => {
  const added = { type: "response.output_item.added", output_index: 0, item: { id: "a" } };
  const done = { type: "response.output_item.done", output_index: 0, item: { id: "b" } };
  const events = parseEvents(
    await text(sseThrough(
      body(
        `event: ${added.type}\ndata: ${JSON.stringify(added)}\n\n`,
        `event: ${done.type}\ndata: ${JSON.stringify(done)}\n\n`,
      ),
      fixerHooks(new ResponsesStreamFixer()),
    )),
  );
  assertEquals(events.map((e) => e.event), [
    "response.output_item.added",
    "response.output_item.done",
    "error",
  ]);
  assertEquals(events[1]!.data.item.id, "a");
});
