/**
 * A local estimate for `POST /v1/messages/count_tokens`: Copilot has no such route. It errs
 * high on purpose (about 3 characters per token, a fixed cost per image and per tool set), so
 * that Claude Code compacts before Copilot refuses the prompt rather than after.
 *
 * @module
 */

import { isObject, objectsOf } from "../agents/json.ts";

/** Tokens charged per image (Anthropic's cost of a ~1.15-megapixel image). */
export const IMAGE_TOKENS = 1600;
/** Tokens charged once when tools are present (tool-use system prompt). */
export const TOOLS_OVERHEAD = 350;
/** Characters per token assumed (real text averages nearer 4). */
const CHARS_PER_TOKEN = 3;

/** Estimated input tokens of a Messages (or count_tokens) body. */
export function estimateInputTokens(body: unknown): number {
  if (!isObject(body)) return 1;
  const images = { count: 0 };
  const text = [body.system, body.messages].map((part) => textOf(part, images)).join("\n");
  const tools = objectsOf(body.tools);
  const toolChars = tools.length === 0 ? 0 : JSON.stringify(tools).length;
  const messages = objectsOf(body.messages).length;
  return Math.max(
    1,
    Math.ceil((text.length + toolChars) / CHARS_PER_TOKEN) + images.count * IMAGE_TOKENS +
      (tools.length > 0 ? TOOLS_OVERHEAD : 0) + messages * 4,
  );
}

/** The text that will be tokenized, images counted apart (their base64 is not text). */
function textOf(value: unknown, images: { count: number }): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((entry) => textOf(entry, images)).join("\n");
  if (!isObject(value)) return value === undefined || value === null ? "" : String(value);
  if (value.type === "image" || value.type === "document") {
    images.count++;
    return "";
  }
  if (value.type === "tool_use") return `${value.name}${JSON.stringify(value.input ?? {})}`;
  return Object.entries(value)
    .filter(([key]) => key !== "cache_control" && key !== "signature" && key !== "type")
    .map(([, entry]) => textOf(entry, images)).join("\n");
}
