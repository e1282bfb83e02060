/**
 * Maps the model names agents send (Anthropic's `claude-sonnet-4-5-20250929`, aliases such as
 * `claude-opus-4-5`, or plain Copilot ids) to an entry of Copilot's `/models` list.
 *
 * @module
 */

import { isObject } from "./json.ts";
import type { ModelEntry } from "../../copilot/model_entry.ts";

/** The fields of a `/models` entry the agent routes read. */
export type { ModelEntry };

/** The answer of {@linkcode resolveModel}. */
export type ModelMatch =
  | { ok: true; model: ModelEntry }
  | { ok: false; message: string };

/**
 * Anthropic's dated or dashed name in Copilot's spelling: the date, `-latest` and a `[1m]`-style
 * suffix are dropped and `4-5` becomes `4.5` (`claude-3-5-haiku` → `claude-3.5-haiku`).
 */
export function normalizeModelName(name: string): string {
  return name.trim().toLowerCase()
    .replace(/\[[^\]]*\]$/, "")
    .replace(/-(\d{8}|latest)$/, "")
    .replace(/(?<=-\d)-(\d)(?=-|$)/g, ".$1");
}

/** The entries of a `/models` answer (or its `data`) that look like models. */
export function modelEntries(list: unknown): ModelEntry[] {
  const data = isObject(list) ? list.data : list;
  return Array.isArray(data)
    ? data.filter((entry): entry is ModelEntry => isObject(entry) && typeof entry.id === "string")
    : [];
}

function kindOf(entry: ModelEntry): string | undefined {
  return isObject(entry.capabilities) ? entry.capabilities.type : undefined;
}

/**
 * Finds `requested` in `models` (chat models only): by exact id, by the normalized name, then
 * by `capabilities.family`. Unknown names get a message that lists the chat models there are.
 */
export function resolveModel(requested: string, models: ModelEntry[]): ModelMatch {
  const chat = models.filter((entry) => kindOf(entry) === "chat");
  const normalized = normalizeModelName(requested);
  const found = chat.find((entry) => entry.id === requested) ??
    chat.find((entry) => entry.id.toLowerCase() === normalized) ??
    chat.find((entry) => entry.capabilities?.family?.toLowerCase() === normalized);
  if (found !== undefined) return { ok: true, model: found };
  const names = chat.map((entry) => entry.id).join(", ");
  return {
    ok: false,
    message: `model ${JSON.stringify(requested)} is not available from Copilot` +
      (normalized === requested ? "" : ` (looked for ${JSON.stringify(normalized)})`) +
      `; available: ${names || "none"}`,
  };
}
