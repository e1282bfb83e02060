/**
 * Which models to use, read from Copilot's `GET /models`
 * (docs/copilot-protocol.md §3.1, §4.3): the completion model is the first
 * entry of type `completion` (previews skipped), the chat default the entry
 * marked `is_chat_default`. The choice is cached beside the session token
 * (`models.json`, keyed by cache_key.ts), so a warm run reads a
 * file and sends nothing; a new session token fetches the list once.
 *
 * @module
 */

import { join } from "../base/paths.ts";
import { readJsonFile, writePrivateFile } from "../auth/secure_file.ts";
import { cacheKey } from "../base/cache_key.ts";
import { CopilotError } from "../base/errors.ts";

/** A model as this tool lists it. */
export interface ModelInfo {
  /** The model id. */
  id: string;
  /** `chat`, `completion`, `embeddings`, or what Copilot says. */
  type: string;
  /** Display name, when given. */
  name: string | undefined;
  /** Vendor, when given. */
  vendor: string | undefined;
  /** A preview model. */
  preview: boolean;
  /** Copilot's chat default. */
  chatDefault: boolean;
  /** `policy.state` (`enabled`, `requires_consent`, ...), when given. */
  policy: string | undefined;
  /** Endpoints it is served on, when given. */
  endpoints: string[] | undefined;
}

/** What the cache keeps per session token. */
export interface ModelChoice {
  /** The completion model, or undefined when `/models` failed or listed none. */
  completion: string | undefined;
  /** The chat default, when listed. */
  chatDefault: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The entries of a `/models` answer that parse, others skipped one by one. */
export function modelInfos(entries: unknown[]): ModelInfo[] {
  const infos: ModelInfo[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry.id !== "string" || entry.id === "") continue;
    // Copilot describes every model with a `capabilities` object; anything else does not parse.
    if (entry.capabilities !== undefined && !isRecord(entry.capabilities)) continue;
    const capabilities = isRecord(entry.capabilities) ? entry.capabilities : {};
    const endpoints = Array.isArray(entry.supported_endpoints)
      ? entry.supported_endpoints.filter((e): e is string => typeof e === "string")
      : undefined;
    infos.push({
      id: entry.id,
      type: typeof capabilities.type === "string" ? capabilities.type : "chat",
      name: typeof entry.name === "string" ? entry.name : undefined,
      vendor: typeof entry.vendor === "string" ? entry.vendor : undefined,
      preview: entry.preview === true,
      chatDefault: entry.is_chat_default === true,
      policy: isRecord(entry.policy) && typeof entry.policy.state === "string"
        ? entry.policy.state
        : undefined,
      endpoints,
    });
  }
  return infos;
}

/**
 * The completion model and chat default of a `/models` list.
 *
 * @example
 * ```ts
 * import { chooseModels } from "./model_choice.ts";
 * const choice = chooseModels([
 *   { id: "gpt-4.1", is_chat_default: true, capabilities: { type: "chat" } },
 *   { id: "next-copilot", preview: true, capabilities: { type: "completion" } },
 *   { id: "gpt-41-copilot", capabilities: { type: "completion" } },
 * ]);
 * console.assert(choice.completion === "gpt-41-copilot" && choice.chatDefault === "gpt-4.1");
 * ```
 */
export function chooseModels(entries: unknown[]): ModelChoice {
  const infos = modelInfos(entries);
  return {
    completion: infos.find((m) => m.type === "completion" && !m.preview)?.id,
    chatDefault: infos.find((m) => m.chatDefault)?.id,
  };
}

/** The cache file in the session's cache dir (none without one). */
export function modelsCachePath(cacheDir: string | undefined): string | undefined {
  return cacheDir === undefined ? undefined : join(cacheDir, "models.json");
}

/** The cached choice for the session token with key `key` (cache_key.ts), if any. */
export async function readModelChoice(
  path: string | undefined,
  key: string,
): Promise<ModelChoice | undefined> {
  if (path === undefined) return undefined; // no config dir (no HOME): nothing cached
  const cache = await readJsonFile(path).catch(() => undefined);
  if (!isRecord(cache) || cache.session !== key) return undefined;
  return {
    completion: typeof cache.completion === "string" ? cache.completion : undefined,
    chatDefault: typeof cache.chatDefault === "string" ? cache.chatDefault : undefined,
  };
}

/** Caches `choice` for the session token with key `key` (0600). */
export async function writeModelChoice(
  path: string | undefined,
  key: string,
  choice: ModelChoice,
): Promise<void> {
  if (path === undefined) return;
  await writePrivateFile(path, JSON.stringify({ session: key, ...choice }) + "\n");
}

/**
 * The choice for session token `token`: from the cache at `path`, else from
 * `fetchModels` (then cached). When `/models` fails the choice is empty (the
 * fallback model) and is kept for this session token like a list would be.
 */
export async function cachedModelChoice(
  path: string | undefined,
  token: string,
  fetchModels: () => Promise<unknown[]>,
): Promise<ModelChoice> {
  const key = cacheKey(token);
  const cached = await readModelChoice(path, key);
  if (cached) return cached;
  let choice: ModelChoice = { completion: undefined, chatDefault: undefined };
  try {
    choice = chooseModels(await fetchModels());
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
  }
  await writeModelChoice(path, key, choice).catch(() => {});
  return choice;
}
