/**
 * `POST /v1/messages` (also `/messages`, `?beta=true`): Anthropic's Messages API for Claude
 * Code and the Anthropic SDK. A model Copilot serves on `/v1/messages` gets the request passed
 * through natively (fixed up as Copilot requires, the answer's bytes relayed unchanged); other
 * models are translated to `/chat/completions` and back, or for a Responses-only model on to
 * `/responses` (agents/via_responses.ts). Errors are Anthropic-shaped (the table row's error
 * shape, anthropic_errors.ts), and a prompt over the model's limit reads
 * `prompt is too long: N tokens > M maximum`.
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { readBody } from "../body.ts";
import { json, type RouteContext, Streamed } from "../route.ts";
import { parseJsonObject } from "../validate.ts";
import { anthropicInitiator } from "../agents/initiator.ts";
import { anthropicHasImages } from "../agents/vision.ts";
import { pickEndpoint } from "../agents/routing.ts";
import type { ModelEntry } from "../agents/model_names.ts";
import { fixerHooks } from "../agents/translate_stream.ts";
import { responsesInto } from "../agents/via_responses.ts";
import { chatToResponses, responseToChat } from "../responses/chat_via_responses.ts";
import type { ChatCompletion } from "../agents/chat_types.ts";
import {
  agentBodyLimit,
  billingHeaders,
  findModel,
  jsonOf,
  relayAnswer,
  translatedStream,
  viaChat,
} from "../agents/upstream.ts";
import { errorEvent } from "../anthropic/anthropic_errors.ts";
import { filterAnthropicBeta, prepareMessagesBody } from "../anthropic/messages_passthrough.ts";
import { anthropicToChat } from "../anthropic/messages_to_chat.ts";
import { chatToAnthropic } from "../anthropic/chat_to_message.ts";
import { AnthropicStreamTranslator } from "../anthropic/messages_stream.ts";
import type { MessagesRequest } from "../anthropic/types.ts";

/** Answers `POST /v1/messages`; a failure is thrown, for the handler to answer in Anthropic's shape. */
export async function messages(
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const body = parseJsonObject(await readBody(req, agentBodyLimit(ctx), ctx.bodyMs));
  if (!Array.isArray(body.messages)) {
    throw new ApiError(400, "invalid_request", "messages: Field required");
  }
  const found = await findModel(ctx, body.model);
  if (!found.ok) throw new ApiError(400, "model_not_found", found.message);
  const headers = billingHeaders(
    anthropicInitiator(body.messages),
    anthropicHasImages(body.messages),
  );
  const endpoint = pickEndpoint(found.model, "messages");
  if (endpoint === "/v1/messages") {
    const beta = filterAnthropicBeta(req.headers.get("anthropic-beta"));
    const { body: sent } = prepareMessagesBody(body, { model: found.model.id });
    const upstream = await ctx.client.post(
      "messages",
      sent,
      { ...headers, ...(beta ? { "anthropic-beta": beta } : {}) },
      signal,
    );
    return relayAnswer(
      upstream,
      body.stream === true ? "text/event-stream" : "application/json",
      brokeOff,
    );
  }
  if (endpoint === "/responses") {
    return await viaResponses(
      ctx,
      body as unknown as MessagesRequest,
      found.model,
      headers,
      signal,
    );
  }
  if (endpoint !== "/chat/completions") throw unsupported(found.model);
  return await bridge(ctx, body as unknown as MessagesRequest, found.model, headers, signal);
}

/** The Anthropic `error` event that ends a relayed answer whose upstream failed mid-way. */
function brokeOff(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `\n\n${errorEvent("api_error", `Copilot's stream broke off: ${message}`)}`;
}

/** The request translated to Copilot chat, the answer back to Anthropic's shape. */
const bridge = viaChat<MessagesRequest>({
  toChat: anthropicToChat,
  translator: (body) => new AnthropicStreamTranslator(body.model),
  fromChat: (answer, body) => chatToAnthropic(answer, body.model),
});

/** For a Responses-only model: Anthropic → chat → Responses, and the answer back the same way. */
async function viaResponses(
  ctx: RouteContext,
  body: MessagesRequest,
  model: ModelEntry,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const chat = anthropicToChat(body, model.id) as unknown as Record<string, unknown>;
  const sent = chatToResponses(chat, model.id);
  const upstream = await ctx.client.post("responses", sent, headers, signal);
  if (sent.stream === true) {
    const translator = new AnthropicStreamTranslator(body.model);
    return translatedStream(upstream, fixerHooks(responsesInto(translator, body.model)));
  }
  const answer = responseToChat(await jsonOf(upstream), body.model);
  return json(chatToAnthropic(answer as unknown as ChatCompletion, body.model));
}

function unsupported(model: ModelEntry): ApiError {
  return new ApiError(
    400,
    "unsupported_api_for_model",
    `model ${model.id} is served only on ${
      (model.supported_endpoints ?? []).join(", ")
    }, none of which /v1/messages bridges to`,
  );
}
