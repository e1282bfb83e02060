/**
 * `GET /v1/models`: Copilot's models in OpenAI's list shape, completion
 * models included (and a fresh list for the cache).
 *
 * @module
 */

import { modelList } from "../openai.ts";
import { json, type RouteContext } from "../route.ts";

/** Answers `GET /v1/models` with a freshly fetched list, which the cache keeps. */
export async function models(
  ctx: RouteContext,
  _req: Request,
  signal: AbortSignal,
): Promise<Response> {
  const entries = await ctx.client.models(signal);
  ctx.models.set(entries);
  const list = modelList(entries);
  // The completion model in use (COPILOT_MODEL, or the fallback) is listed even when Copilot is not.
  const completion = await ctx.client.completionModel(signal).catch(() => undefined);
  if (completion !== undefined && !list.data.some((m) => m.id === completion)) {
    list.data.push({ id: completion, object: "model", created: 0, owned_by: "github-copilot" });
  }
  return json(list);
}
