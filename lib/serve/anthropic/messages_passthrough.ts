/**
 * Fix-ups of a native `/v1/messages` request before it goes to Copilot unchanged otherwise
 * (VS Code's Claude Code pass-through, docs/copilot-protocol.md 4.6): the `anthropic-beta`
 * allowlist, `cache_control.scope` and top-level `cache_control` removed, thinking blocks
 * without a valid signature dropped, `top_p` dropped when `temperature` is set, server tools
 * Copilot rejects removed, and a trailing assistant message (prefill) followed by a user turn.
 *
 * @module
 */

import { isObject, type Json, objectsOf } from "../agents/json.ts";

/** Beta prefixes Copilot accepts (VS Code's `SUPPORTED_ANTHROPIC_BETAS`). */
export const SUPPORTED_BETA_PREFIXES = [
  "interleaved-thinking",
  "context-management",
  "advanced-tool-use",
] as const;

/** Server-tool type prefixes Copilot does not run. */
const UNSUPPORTED_TOOL_TYPES = ["web_search", "web_fetch", "code_execution", "computer"];

/** The `anthropic-beta` value to forward, or undefined when nothing is left. */
export function filterAnthropicBeta(header: string | null | undefined): string | undefined {
  const kept = (header ?? "").split(",").map((beta) => beta.trim())
    .filter((beta) => SUPPORTED_BETA_PREFIXES.some((prefix) => beta.startsWith(prefix)));
  return kept.length === 0 ? undefined : kept.join(",");
}

/** Options of {@linkcode prepareMessagesBody}. */
export interface PrepareOptions {
  /** Copilot's id of the model (replaces the client's name). */
  model: string;
  /**
   * Whether a thinking signature was issued to this proxy's upstream; by default every
   * non-empty signature without `@` (the marker of signatures made from other APIs) passes.
   */
  isOwnSignature?: (signature: string) => boolean;
}

/** What {@linkcode prepareMessagesBody} changed, for logs and tests. */
export interface Prepared {
  /** The body to send. */
  body: Json;
  /** One short note per change. */
  changes: string[];
}

/**
 * The body to send to Copilot's `/v1/messages` for a client's `body`: `body` itself, fixed in
 * place (it is the request's own, parsed once; an agent's can be megabytes, not worth a copy).
 */
export function prepareMessagesBody(body: Json, options: PrepareOptions): Prepared {
  const changes: string[] = [];
  const out = body;
  out.model = options.model;
  if ("cache_control" in out) {
    delete out.cache_control;
    changes.push("top-level cache_control removed");
  }
  if (out.temperature !== undefined && out.top_p !== undefined) {
    delete out.top_p;
    changes.push("top_p removed (temperature is set)");
  }
  const scopes = stripScopes(out);
  if (scopes > 0) changes.push(`cache_control.scope removed ${scopes}×`);
  if (Array.isArray(out.tools)) {
    const kept = out.tools.filter((tool) => !isUnsupportedTool(tool));
    if (kept.length !== out.tools.length) {
      changes.push(`${out.tools.length - kept.length} server tool(s) removed`);
      out.tools = kept;
      if (kept.length === 0) delete out.tools;
    }
  }
  const own = options.isOwnSignature ?? ((signature: string) => !signature.includes("@"));
  const dropped = dropForeignThinking(objectsOf(out.messages), own);
  if (dropped > 0) {
    changes.push(`${dropped} thinking block(s) without a valid signature dropped`);
    // A turn left empty goes; Anthropic joins the consecutive turns of one role around it.
    out.messages = objectsOf(out.messages).filter((message) =>
      !Array.isArray(message.content) || message.content.length > 0
    );
  }
  if (Array.isArray(out.messages) && objectsOf(out.messages).at(-1)?.role === "assistant") {
    out.messages.push({ role: "user", content: "Please continue." });
    changes.push("user turn added after a trailing assistant message");
  }
  return { body: out, changes };
}

function isUnsupportedTool(tool: unknown): boolean {
  const type = isObject(tool) && typeof tool.type === "string" ? tool.type : "";
  return UNSUPPORTED_TOOL_TYPES.some((prefix) => type.startsWith(prefix));
}

/** Removes `cache_control.scope` everywhere in `value`; returns how many. */
function stripScopes(value: unknown): number {
  if (Array.isArray(value)) {
    return value.reduce((sum: number, entry) => sum + stripScopes(entry), 0);
  }
  if (!isObject(value)) return 0;
  let count = 0;
  if (isObject(value.cache_control) && "scope" in value.cache_control) {
    delete value.cache_control.scope;
    count++;
  }
  for (const [key, entry] of Object.entries(value)) {
    if (key !== "cache_control" && typeof entry === "object") count += stripScopes(entry);
  }
  return count;
}

/** Drops assistant thinking blocks that are empty or carry no own signature; returns how many. */
function dropForeignThinking(messages: Json[], own: (signature: string) => boolean): number {
  let dropped = 0;
  for (const message of messages) {
    if (message.role !== "assistant" || !Array.isArray(message.content)) continue;
    const kept = message.content.filter((block) => {
      if (!isObject(block) || block.type !== "thinking") return true;
      const signature = typeof block.signature === "string" ? block.signature : "";
      const text = typeof block.thinking === "string" ? block.thinking : "";
      return signature !== "" && text.trim() !== "" && own(signature);
    });
    dropped += message.content.length - kept.length;
    message.content = kept;
  }
  return dropped;
}
