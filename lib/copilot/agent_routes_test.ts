import { assertEquals } from "@std/assert";
import { agentCall } from "./agent_routes.ts";

const CHAT = {
  "Copilot-Integration-Id": "vscode-chat",
  "X-Interaction-Type": "conversation-panel",
  "Editor-Version": "vscode/1.132.0",
};

Deno.test("agentCall: the pass-throughs drop the integration id and carry their intent", () => {
  const messages = agentCall("messages", CHAT, { "X-Initiator": "agent" });
  assertEquals(messages, {
    path: "/v1/messages",
    headers: {
      "X-Interaction-Type": "messages-proxy",
      "Editor-Version": "vscode/1.132.0",
      "OpenAI-Intent": "messages-proxy",
      "X-Initiator": "agent",
    },
  });
  assertEquals(agentCall("responses", CHAT, {}).headers["OpenAI-Intent"], "responses-proxy");
  assertEquals(agentCall("responses", CHAT, {}).path, "/responses");
});

Deno.test("agentCall: embeddings and chat keep the identity; undefined drops a header", () => {
  const embeddings = agentCall("embeddings", CHAT, { "Editor-Version": undefined });
  assertEquals(embeddings.path, "/embeddings");
  assertEquals(embeddings.headers, {
    "Copilot-Integration-Id": "vscode-chat",
    "X-Interaction-Type": "conversation-panel",
    "OpenAI-Intent": "copilot-panel",
  });
  assertEquals(agentCall("chat", CHAT, {}).path, "/chat/completions");
});
