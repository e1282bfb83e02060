/**
 * What the agent routes (`/v1/messages`, `/v1/responses`, `/v1/embeddings`, the chat bridge)
 * share: the request's model found in Copilot's `/models`, the billing headers, a native answer
 * relayed byte for byte, a translated SSE answer.
 *
 * @module
 */

import { isAbort } from "../../base/errors.ts";
import { chain, mapSource, type RelayHooks, type Source, toStream } from "../../base/pull.ts";
import { sseDecoder, type SseItem } from "../../copilot/sse.ts";
import { forward, json, type Part, type RouteContext, SSE_HEADERS, Streamed } from "../route.ts";
import { modelEntries, type ModelEntry, type ModelMatch, resolveModel } from "./model_names.ts";
import { type ChunkTranslator, translatorHooks } from "./translate_stream.ts";
import type { ChatCompletion, ChatRequest } from "./chat_types.ts";

/**
 * The body limit of the agent routes: an agent's long session (the whole conversation, tool
 * output, images) outgrows the 1 MiB of the other routes long before the model's context does.
 */
export const AGENT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The body limit for an agent route: the server's, but never under {@linkcode AGENT_MAX_BODY_BYTES}. */
export function agentBodyLimit(ctx: RouteContext): number {
  return Math.max(ctx.maxBodyBytes, AGENT_MAX_BODY_BYTES);
}

/**
 * Copilot's entry for the model an agent named (`claude-sonnet-4-5-20250929` → `claude-sonnet-4.5`);
 * rejects with why Copilot's list cannot be had (a broken login, Copilot unreachable).
 */
export async function findModel(ctx: RouteContext, requested: unknown): Promise<ModelMatch> {
  if (typeof requested !== "string" || requested === "") {
    return { ok: false, message: "`model` must be a non-empty string" };
  }
  return resolveModel(requested, modelEntries(await ctx.models.list()));
}

/** The first embeddings model of Copilot's list (or `requested` when it is one). */
export async function findEmbeddingModel(
  ctx: RouteContext,
  requested: unknown,
): Promise<ModelEntry | undefined> {
  const entries = modelEntries(await ctx.models.list()).filter((entry) =>
    entry.capabilities?.type === "embeddings"
  );
  return entries.find((entry) => entry.id === requested) ?? entries[0];
}

/** The billing headers: `X-Initiator`, and `Copilot-Vision-Request` when images are sent. */
export function billingHeaders(
  initiator: "user" | "agent",
  images: boolean,
): Record<string, string> {
  return { "X-Initiator": initiator, ...(images ? { "Copilot-Vision-Request": "true" } : {}) };
}

/** A successful Copilot answer: its head, and its body as a source read by hand. */
export interface Upstream {
  /** Status and headers (its body is `body`). */
  res: Response;
  /** The body. */
  body: Source<Uint8Array>;
}

/**
 * Copilot's answer relayed as it is (a native pass-through): the bytes are not parsed, and no
 * stream sits between the upstream socket and the one `Deno.serve` reads. A failure after the
 * start ends the body with `failEvent`'s text for it (the client API's error event); without
 * `failEvent` it cuts the body off.
 */
export function relayAnswer(
  upstream: Upstream,
  fallbackType: string,
  failEvent?: (err: unknown) => string,
): Streamed {
  const type = upstream.res.headers.get("content-type") ?? fallbackType;
  const headers = { "Content-Type": type, "Cache-Control": "no-cache" };
  const relayed = mapSource<Uint8Array, Part>(upstream.body, {
    map: forward,
    fail(err, out) {
      if (isAbort(err) || failEvent === undefined) return out.error(err);
      out.enqueue(failEvent(err));
      out.close();
    },
  });
  return new Streamed(relayed, headers);
}

/** Copilot's SSE answer translated (or fixed) event by event through `hooks`, as an SSE answer. */
export function translatedStream(
  upstream: Upstream,
  hooks: RelayHooks<SseItem, string>,
): Streamed {
  const source = mapSource(upstream.body, chain(sseDecoder(), hooks));
  return new Streamed(source, SSE_HEADERS);
}

/** How an agent API's request (`B`) is bridged to Copilot chat and its answer back. */
export interface ChatBridge<B> {
  /** The chat request for `body`, sent as the Copilot model `model`. */
  toChat(body: B, model: string): ChatRequest;
  /** The translator of a streamed answer. */
  translator(body: B): ChunkTranslator;
  /** A whole answer in the API's shape. */
  fromChat(answer: ChatCompletion, body: B): unknown;
}

/** An agent API's request (`B`) answered for `model` with the billing `headers`. */
export type Bridged<B> = (
  ctx: RouteContext,
  body: B,
  model: ModelEntry,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<Response | Streamed>;

/** Sends a request to Copilot chat through `bridge` and answers in the API's shape. */
export function viaChat<B>(bridge: ChatBridge<B>): Bridged<B> {
  return async (ctx, body, model, headers, signal) => {
    const chat = bridge.toChat(body, model.id);
    const upstream = await ctx.client.post(
      "chat",
      chat as unknown as Record<string, unknown>,
      headers,
      signal,
    );
    if (chat.stream) return translatedStream(upstream, translatorHooks(bridge.translator(body)));
    return json(bridge.fromChat(await jsonOf(upstream) as ChatCompletion, body));
  };
}

/** A whole JSON answer, parsed. */
export async function jsonOf(upstream: Upstream): Promise<unknown> {
  return await new Response(toStream(upstream.body)).json();
}
