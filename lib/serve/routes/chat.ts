/**
 * `POST /v1/chat/completions`: forwarded to Copilot chat as sent, the answer
 * passed through byte for byte; a model served only on `/responses` is
 * bridged there (chat_bridge.ts).
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { readBody } from "../body.ts";
import { within } from "../models_cache.ts";
import { supportsChat } from "../openai.ts";
import { errorEvent, type RouteContext, sseEvent, Streamed } from "../route.ts";
import { chatCall, parseJsonObject } from "../validate.ts";
import type { ModelEntry } from "../agents/model_names.ts";
import { chatViaResponses } from "./chat_bridge.ts";
import { chatInitiator } from "../agents/initiator.ts";
import { chatHasImages } from "../agents/vision.ts";
import { billingHeaders, relayAnswer } from "../agents/upstream.ts";

/** Longest wait for the model list before forwarding without checking the model. */
export const MODELS_WAIT_MS = 2000;

/** Answers `POST /v1/chat/completions` with Copilot chat's answer, refusing models that lack it. */
export async function chat(
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
): Promise<Response | Streamed> {
  const body = parseJsonObject(await readBody(req, ctx.maxBodyBytes, ctx.bodyMs));
  const call = chatCall(body);
  // Without a model the list must name the default: then why it cannot be had is the answer.
  const wanted = call.model === undefined ? ctx.models.list() : ctx.models.get();
  const list = await within(wanted, MODELS_WAIT_MS, undefined);
  const model = call.model ?? chatDefaultOf(list);
  body.model = model;
  const entry = list?.find((m) => (m as { id?: unknown } | null)?.id === model);
  if (list !== undefined && entry === undefined) {
    const valid = chatModelIds(list);
    throw new ApiError(
      400,
      "model_not_found",
      `Model '${model}' is not one of Copilot's chat models (${valid.join(", ") || "none listed"})`,
      { param: "model" },
    );
  }
  if (entry !== undefined && !supportsChat(entry)) {
    // Served only elsewhere: bridged to /responses (a 400 when not there either).
    return await chatViaResponses(ctx, body, entry as ModelEntry, signal);
  }
  const billing = billingHeaders(chatInitiator(body.messages), chatHasImages(body.messages));
  const upstream = await ctx.client.post("chat", body, billing, signal);
  // Even a whole answer is relayed, so the log and the shutdown see it until its end (a failure
  // cuts it off); a stream's failure after the start becomes an SSE error event.
  if (!call.stream) return relayAnswer(upstream, "application/json");
  return relayAnswer(upstream, "text/event-stream", (err) => `\n\n${sseEvent(errorEvent(err))}`);
}

/** Copilot's chat default (`is_chat_default`); without one the request is refused. */
function chatDefaultOf(list: unknown[] | undefined): string {
  const entry = list?.find((m) => (m as { is_chat_default?: unknown } | null)?.is_chat_default);
  const id = (entry as { id?: unknown } | undefined)?.id;
  if (typeof id === "string" && id !== "") return id;
  throw new ApiError(
    400,
    "invalid_request_error",
    "`model` must be a non-empty string (Copilot's model list names no chat default)",
    { param: "model" },
  );
}

/** Ids of the chat models in `list` that chat can serve, for the unknown-model message. */
function chatModelIds(list: unknown[]): string[] {
  const ids: string[] = [];
  for (const entry of list) {
    const { id, capabilities } = (entry ?? {}) as { id?: unknown; capabilities?: unknown };
    const type = (capabilities as { type?: unknown } | null | undefined)?.type;
    if (typeof id === "string" && (type === undefined || type === "chat") && supportsChat(entry)) {
      ids.push(id);
    }
  }
  return ids;
}
