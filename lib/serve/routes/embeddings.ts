/**
 * `POST /v1/embeddings` (also `/embeddings`): forwarded to Copilot's `/embeddings` with the
 * model named, or else Copilot's first embeddings model; the answer relayed as it is.
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { readBody } from "../body.ts";
import type { RouteContext, Streamed } from "../route.ts";
import { parseJsonObject } from "../validate.ts";
import { agentBodyLimit, findEmbeddingModel, relayAnswer } from "../agents/upstream.ts";

/** Answers `POST /v1/embeddings`. */
export async function embeddings(
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const body = parseJsonObject(await readBody(req, agentBodyLimit(ctx), ctx.bodyMs));
  const model = await findEmbeddingModel(ctx, body.model);
  if (model === undefined) {
    throw new ApiError(400, "model_not_found", "Copilot lists no embeddings model", {
      param: "model",
    });
  }
  const upstream = await ctx.client.post("embeddings", { ...body, model: model.id }, {}, signal);
  return relayAnswer(upstream, "application/json", () => "");
}
