/**
 * `GET /v1/models`: Copilot's models in OpenAI's list shape (and a fresh
 * list for the cache).
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
  return json(modelList(entries));
}
