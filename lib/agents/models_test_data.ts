/**
 * Test data: a `/models` list shaped like Copilot's, for the launcher tests.
 *
 * @module
 */

import type { LaunchModel } from "./launch.ts";

const chat = (id: string, endpoints: string[], extra: Partial<LaunchModel> = {}): LaunchModel => ({
  id,
  supported_endpoints: endpoints,
  capabilities: { type: "chat", limits: { max_prompt_tokens: 128000, max_output_tokens: 16000 } },
  ...extra,
});

/** Claude, GPT, codex, completion and embedding models. */
export const MODELS: LaunchModel[] = [
  chat("gpt-4.1", ["/chat/completions", "/responses"], { is_chat_default: true }),
  chat("claude-sonnet-4", ["/chat/completions"]),
  chat("claude-sonnet-4.5", ["/v1/messages", "/chat/completions"]),
  chat("claude-opus-4.5", ["/v1/messages", "/chat/completions"]),
  chat("claude-haiku-4.5", ["/v1/messages", "/chat/completions"]),
  chat("gpt-5-codex", ["/responses"]),
  chat("gpt-5.1-codex", ["/responses", "ws:/responses"]),
  chat("gpt-5-mini", ["/chat/completions", "/responses"]),
  { id: "gpt-41-copilot", capabilities: { type: "completion" } },
  { id: "text-embedding-3-small", capabilities: { type: "embeddings" } },
];
