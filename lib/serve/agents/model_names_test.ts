/** Tests of model-name normalisation and lookup in the `/models` list. */

import { assertEquals, assertStringIncludes } from "@std/assert";
import { modelEntries, normalizeModelName, resolveModel } from "./model_names.ts";

const MODELS = modelEntries({
  data: [
    { id: "claude-sonnet-4.5", capabilities: { type: "chat", family: "claude-sonnet-4.5" } },
    { id: "claude-opus-4.5", capabilities: { type: "chat", family: "claude-opus-4.5" } },
    { id: "claude-3.5-sonnet", capabilities: { type: "chat", family: "claude-3.5-sonnet" } },
    { id: "gpt-5.1-codex", capabilities: { type: "chat", family: "gpt-5.1-codex" } },
    { id: "gpt-4o-2024-11-20", capabilities: { type: "chat", family: "gpt-4o" } },
    { id: "text-embedding-3-small", capabilities: { type: "embeddings" } },
    { no: "id" },
  ],
});

Deno.test("normalizeModelName: Anthropic's names in Copilot's spelling", () => {
  assertEquals(normalizeModelName("claude-sonnet-4-5-20250929"), "claude-sonnet-4.5");
  assertEquals(normalizeModelName("claude-opus-4-5-20251101"), "claude-opus-4.5");
  assertEquals(normalizeModelName("claude-opus-4-1-20250805"), "claude-opus-4.1");
  assertEquals(normalizeModelName("claude-sonnet-4-20250514"), "claude-sonnet-4");
  assertEquals(normalizeModelName("claude-3-5-haiku-latest"), "claude-3.5-haiku");
  assertEquals(normalizeModelName("claude-sonnet-4-5[1m]"), "claude-sonnet-4.5");
  assertEquals(normalizeModelName("gpt-5.1-codex"), "gpt-5.1-codex");
});

Deno.test("resolveModel: exact id, normalized name, then family", () => {
  const id = (name: string) => {
    const match = resolveModel(name, MODELS);
    return match.ok ? match.model.id : match.message;
  };
  assertEquals(id("gpt-5.1-codex"), "gpt-5.1-codex");
  assertEquals(id("claude-sonnet-4-5-20250929"), "claude-sonnet-4.5");
  assertEquals(id("claude-opus-4-5-20251101"), "claude-opus-4.5");
  assertEquals(id("claude-3-5-sonnet-20241022"), "claude-3.5-sonnet");
  assertEquals(id("gpt-4o"), "gpt-4o-2024-11-20");
});

Deno.test("resolveModel: an unknown name lists the chat models there are", () => {
  const match = resolveModel("claude-opus-4-7-20260101", MODELS);
  assertEquals(match.ok, false);
  if (match.ok) return;
  assertStringIncludes(match.message, '"claude-opus-4-7-20260101"');
  assertStringIncludes(match.message, '"claude-opus-4.7"');
  assertStringIncludes(match.message, "claude-sonnet-4.5, claude-opus-4.5");
  assertEquals(match.message.includes("text-embedding"), false);
  const embeddings = resolveModel("text-embedding-3-small", MODELS);
  assertEquals(embeddings.ok, false);
});
