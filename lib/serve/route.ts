/**
 * What a route of `copilot serve` is: a function of the shared
 * {@linkcode RouteContext}, the request and its abort signal, answering with a
 * `Response` or a {@linkcode Streamed} body; plus the answer helpers routes share.
 *
 * @module
 */

import type { CopilotClient } from "../copilot/client.ts";
import type { Sink, Source } from "../base/pull.ts";
import { type ApiError, upstreamFailure } from "./api_error.ts";
import type { ModelsCache } from "./models_cache.ts";

/** What the routes need of the Copilot client (the real one, or a stub in unit tests). */
export type UpstreamClient = Pick<
  CopilotClient,
  "completionSource" | "models" | "completionModel" | "usage" | "post"
>;

/** What every route may use: built once per server, shared by all requests. */
export interface RouteContext {
  /** The Copilot client. */
  client: UpstreamClient;
  /** Body size limit in bytes. */
  maxBodyBytes: number;
  /** Time for a whole request body to arrive, in ms. */
  bodyMs: number;
  /** Clock, epoch milliseconds. */
  now: () => number;
  /** Copilot's model list, cached. */
  models: ModelsCache;
  /** Whether a GitHub login is present, for `/healthz`. */
  loggedIn: () => Promise<boolean>;
}

/** A part of a streamed answer: text (encoded at the end, in one go) or bytes. */
export type Part = string | Uint8Array;

/**
 * A 200 answer whose body is read by hand: the handler makes it the one
 * stream `Deno.serve` reads (logging when it ends), so a streamed answer costs
 * one `ReadableStream` however many steps map it, and one write per upstream
 * read however many events that read held.
 */
export class Streamed {
  /** A 200 answer of `source`'s parts with `headers`. */
  constructor(
    readonly source: Source<Part>,
    readonly headers: Record<string, string>,
  ) {}
}

/** One route: answers a request, given the shared context and the request's abort signal. */
export type RouteHandler = (
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
) => Promise<Response | Streamed>;

/**
 * How an API family answers a failure: the status, headers and body of its error shape (OpenAI's
 * {@linkcode errorResponse}, Anthropic's `anthropicErrorResponse`).
 */
export type ErrorShape = (failure: ApiError) => Response;

/** A row of the routing table: the method a path takes, its handler, its API's error shape. */
export interface Route {
  /** The one method accepted (besides `OPTIONS`). */
  method: "GET" | "POST";
  /** The route's function. */
  handle: RouteHandler;
  /**
   * The error shape of the API family the path belongs to: every failure on the path (an access
   * refusal, a wrong method, the route's own) is answered in it. Default OpenAI's.
   */
  errors?: ErrorShape;
}

/** Headers of a JSON answer. */
export const JSON_HEADERS = { "Content-Type": "application/json" };
/** Headers of an SSE answer. */
export const SSE_HEADERS = { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" };
/** Headers of a streamed plain-text answer. */
export const TEXT_HEADERS = {
  "Content-Type": "text/plain; charset=utf-8",
  "Cache-Control": "no-cache",
};

/** A JSON answer. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** The answer to an {@linkcode ApiError}: its status, headers and OpenAI error body. */
export function errorResponse(err: ApiError): Response {
  return json(err.body(), err.status, err.headers);
}

/** One SSE event of one line of `data` (JSON never holds a raw line break). */
export function sseEvent(data: string): string {
  return `data: ${data}\n\n`;
}

/** The `data` of the SSE event that reports a failure after the answer started (the SDKs raise it). */
export function errorEvent(err: unknown): string {
  return JSON.stringify(upstreamFailure(err).body());
}

/** A `mapSource` step that passes each value on as it is. */
export const forward = <T>(value: T, controller: Sink<T>): void => controller.enqueue(value);
