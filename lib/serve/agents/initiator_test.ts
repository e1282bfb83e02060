/** Tests of `X-Initiator` from the last message or item. */

import { assertEquals } from "@std/assert";
import { anthropicInitiator, chatInitiator, responsesInitiator } from "./initiator.ts";

Deno.test("chatInitiator: user only when the last message is the user's", () => {
  assertEquals(chatInitiator([{ role: "system" }, { role: "user", content: "hi" }]), "user");
  assertEquals(chatInitiator([{ role: "user" }, { role: "assistant" }, { role: "tool" }]), "agent");
  assertEquals(chatInitiator([]), "agent");
  assertEquals(chatInitiator("nonsense"), "agent");
});

Deno.test("anthropicInitiator: a tool_result-only turn is the agent's", () => {
  assertEquals(anthropicInitiator([{ role: "user", content: "Say hi" }]), "user");
  const toolTurn = {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "t1", content: "hello" }],
  };
  assertEquals(anthropicInitiator([{ role: "user", content: "go" }, toolTurn]), "agent");
  const mixed = {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "t1" }, { type: "text", text: "and now?" }],
  };
  assertEquals(anthropicInitiator([mixed]), "user");
  assertEquals(anthropicInitiator([{ role: "assistant", content: "prefill" }]), "agent");
  assertEquals(anthropicInitiator([{ role: "user", content: [] }]), "agent");
});

Deno.test("responsesInitiator: a string or a trailing user message is the user's", () => {
  assertEquals(responsesInitiator("Say hi"), "user");
  assertEquals(responsesInitiator([{ role: "user", content: "hi" }]), "user");
  assertEquals(responsesInitiator([{ type: "message", role: "user", content: [] }]), "user");
  assertEquals(
    responsesInitiator([
      { type: "message", role: "user", content: "go" },
      { type: "function_call", call_id: "c1", name: "exec", arguments: "{}" },
      { type: "function_call_output", call_id: "c1", output: "ok" },
    ]),
    "agent",
  );
  assertEquals(responsesInitiator([{ type: "message", role: "developer", content: "x" }]), "agent");
  assertEquals(responsesInitiator([]), "agent");
  assertEquals(responsesInitiator(undefined), "agent");
});
