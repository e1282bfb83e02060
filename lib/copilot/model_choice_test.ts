/** Unit tests of choosing the completion model and chat default from /models (model_choice.ts). */

import { assertEquals } from "@std/assert";
import { chooseModels, modelInfos } from "./model_choice.ts";

Deno.test("the completion model skips previews and odd entries; the chat default is marked", () => {
  const entries = [
    { id: "broken", capabilities: "unknown" },
    42,
    { id: "gpt-4.1", is_chat_default: true, capabilities: { type: "chat" } },
    { id: "preview-copilot", preview: true, capabilities: { type: "completion" } },
    { id: "gpt-41-copilot", capabilities: { type: "completion" } },
    { id: "gpt-4o-copilot", capabilities: { type: "completion" } },
  ];
  assertEquals(chooseModels(entries), { completion: "gpt-41-copilot", chatDefault: "gpt-4.1" });
  assertEquals(chooseModels([]), { completion: undefined, chatDefault: undefined });
  assertEquals(modelInfos(entries).map((m) => `${m.id}:${m.type}`), [
    "gpt-4.1:chat",
    "preview-copilot:completion",
    "gpt-41-copilot:completion",
    "gpt-4o-copilot:completion",
  ]);
});
