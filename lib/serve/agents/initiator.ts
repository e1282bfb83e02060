/**
 * `X-Initiator` for Copilot: `user` only when the request answers the person's own prompt
 * (the last message or item is the user's), `agent` for tool follow-ups and anything the agent
 * sends on its own. See docs/copilot-protocol.md section 5.3.
 *
 * @module
 */

import { isObject, objectsOf } from "./json.ts";

/** Value of the `X-Initiator` header. */
export type Initiator = "user" | "agent";

/** Chat messages: `user` iff the last message has role `user`. */
export function chatInitiator(messages: unknown): Initiator {
  const last = objectsOf(messages).at(-1);
  return last?.role === "user" ? "user" : "agent";
}

/**
 * Anthropic messages: `user` iff the last message has role `user` and holds something other
 * than `tool_result` blocks (a string counts as the user's text).
 */
export function anthropicInitiator(messages: unknown): Initiator {
  const last = objectsOf(messages).at(-1);
  if (last?.role !== "user") return "agent";
  if (typeof last.content === "string") return "user";
  return objectsOf(last.content).some((block) => block.type !== "tool_result") ? "user" : "agent";
}

/**
 * Responses `input`: `user` iff it is a string or its last item is a user message
 * (`type: "message"` or no type, `role: "user"`); role-less items (tool outputs) are `agent`.
 */
export function responsesInitiator(input: unknown): Initiator {
  if (typeof input === "string") return "user";
  const last = Array.isArray(input) ? input.at(-1) : undefined;
  if (!isObject(last)) return "agent";
  const isMessage = last.type === undefined || last.type === "message";
  return isMessage && last.role === "user" ? "user" : "agent";
}
