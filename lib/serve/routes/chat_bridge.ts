/**
 * `POST /v1/chat/completions` for a model Copilot serves only on `/responses` (where Copilot's
 * own chat endpoint answers 400 `unsupported_api_for_model`): the request bridged to
 * `/responses` and the answer back to chat (lib/serve/responses/chat_via_responses*.ts).
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { json, type RouteContext, Streamed } from "../route.ts";
import { chatInitiator } from "../agents/initiator.ts";
import { chatHasImages } from "../agents/vision.ts";
import { endpointsOf } from "../agents/routing.ts";
import type { ModelEntry } from "../agents/model_names.ts";
import { fixerHooks } from "../agents/translate_stream.ts";
import { billingHeaders, jsonOf, translatedStream } from "../agents/upstream.ts";
import { chatToResponses, responseToChat } from "../responses/chat_via_responses.ts";
import { ChatFromResponses } from "../responses/chat_via_responses_stream.ts";

/** Answers a chat request for `model` through Copilot's `/responses`, or the 400 when it lacks that too. */
export async function chatViaResponses(
  ctx: RouteContext,
  body: Record<string, unknown>,
  model: ModelEntry,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  if (!endpointsOf(model).includes("/responses")) {
    throw new ApiError(
      400,
      "unsupported_model",
      `Model '${model.id}' does not support /chat/completions (it supports ${
        (model.supported_endpoints ?? []).join(", ") || "no endpoint"
      })`,
      { param: "model" },
    );
  }
  const headers = billingHeaders(chatInitiator(body.messages), chatHasImages(body.messages));
  const sent = chatToResponses(body, model.id);
  const upstream = await ctx.client.post("responses", sent, headers, signal);
  const name = String(body.model);
  if (sent.stream === true) {
    return translatedStream(upstream, fixerHooks(new ChatFromResponses(name)));
  }
  return json(responseToChat(await jsonOf(upstream), name));
}
