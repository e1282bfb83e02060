import { assertEquals } from "@std/assert";
import { AnthropicStreamTranslator } from "../anthropic/messages_stream.ts";
import { responsesInto } from "./via_responses.ts";

Deno.test("responsesInto: Responses events end as Anthropic's, or as its error event", () => {
  const fixer = responsesInto(new AnthropicStreamTranslator("claude-x"), "claude-x");
  const push = (event: unknown) => fixer.push({ data: JSON.stringify(event) });
  const out = [
    ...push({ type: "response.output_text.delta", output_index: 0, delta: "Hi" }),
    ...push({ type: "response.completed", response: { status: "completed" } }),
    ...fixer.finish(),
  ].join("");
  const types = [...out.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
  assertEquals(types[0], "message_start");
  assertEquals(types.at(-1), "message_stop");
  assertEquals(out.includes('"text":"Hi"'), true);
  const cut = responsesInto(new AnthropicStreamTranslator("claude-x"), "claude-x");
  assertEquals(/^event: error$/m.test(cut.finish().join("")), true);
});
