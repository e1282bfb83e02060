/**
 * `POST /v1/responses` (also `/responses`): OpenAI's Responses API for Codex and the OpenAI
 * SDK. A model Copilot serves on `/responses` gets a native pass-through (hosted tools and
 * `service_tier` removed, `custom` tools as functions; the stream fixed event by event), other
 * models a bridge to `/chat/completions` and back.
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { readBody } from "../body.ts";
import { type RouteContext, Streamed } from "../route.ts";
import { parseJsonObject } from "../validate.ts";
import { responsesInitiator } from "../agents/initiator.ts";
import { responsesHasImages } from "../agents/vision.ts";
import { pickEndpoint } from "../agents/routing.ts";
import { fixerHooks } from "../agents/translate_stream.ts";
import {
  agentBodyLimit,
  billingHeaders,
  type Bridged,
  findModel,
  relayAnswer,
  translatedStream,
  viaChat,
} from "../agents/upstream.ts";
import { prepareResponsesBody, ResponsesStreamFixer } from "../responses/responses_passthrough.ts";
import { responsesToChat } from "../responses/responses_to_chat.ts";
import { chatToResponse } from "../responses/chat_to_response.ts";
import { ResponsesStreamTranslator } from "../responses/responses_stream.ts";
import type { ResponsesRequest } from "../responses/types.ts";

/** Answers `POST /v1/responses`. */
export async function responses(
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const body = parseJsonObject(await readBody(req, agentBodyLimit(ctx), ctx.bodyMs));
  if (typeof body.input !== "string" && !Array.isArray(body.input)) {
    throw new ApiError(400, "invalid_type", "`input` must be a string or an array of items", {
      param: "input",
    });
  }
  const found = await findModel(ctx, body.model);
  if (!found.ok) throw new ApiError(400, "model_not_found", found.message, { param: "model" });
  const headers = billingHeaders(responsesInitiator(body.input), responsesHasImages(body.input));
  const endpoint = pickEndpoint(found.model, "responses");
  if (endpoint === "/responses") {
    const { body: sent } = prepareResponsesBody(body, { model: found.model.id });
    const upstream = await ctx.client.post("responses", sent, headers, signal);
    if (body.stream !== true) {
      return relayAnswer(upstream, "application/json", () => "");
    }
    return translatedStream(upstream, fixerHooks(new ResponsesStreamFixer()));
  }
  if (endpoint !== "/chat/completions") {
    throw new ApiError(
      400,
      "unsupported_api_for_model",
      `model ${found.model.id} is not served on /responses or /chat/completions`,
      { param: "model" },
    );
  }
  return await bridge(ctx, body as unknown as ResponsesRequest, found.model, headers, signal);
}

/** A Responses request bridged to Copilot chat and its answer back. */
export const bridge: Bridged<ResponsesRequest> = viaChat<ResponsesRequest>({
  toChat: responsesToChat,
  translator: (body) => new ResponsesStreamTranslator(body),
  fromChat: chatToResponse,
});
