/**
 * `GET /v1/models/{id}`: one of Copilot's models in OpenAI's shape (the id as Copilot spells
 * it, or as an agent does: `claude-sonnet-4-5-20250929`), or a 404.
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { modelList } from "../openai.ts";
import { json, type RouteContext } from "../route.ts";
import { modelEntries, normalizeModelName } from "../agents/model_names.ts";

/** The path prefix this route answers under. */
export const MODEL_PREFIX = "/v1/models/";

/** Answers `GET /v1/models/{id}`. */
export async function modelById(
  ctx: RouteContext,
  req: Request,
  _signal: AbortSignal,
): Promise<Response> {
  const path = new URL(req.url).pathname;
  const id = decodeURIComponent(path.slice(MODEL_PREFIX.length));
  const entries = modelEntries(await ctx.models.list());
  const entry = entries.find((model) => model.id === id) ??
    entries.find((model) => model.id === normalizeModelName(id));
  const shown = entry === undefined ? undefined : modelList([entry]).data[0];
  if (shown === undefined) {
    throw new ApiError(404, "model_not_found", `The model '${id.slice(0, 100)}' does not exist`, {
      param: "model",
    });
  }
  return json(shown);
}
