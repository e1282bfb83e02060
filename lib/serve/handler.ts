/**
 * The HTTP handler of `copilot serve`, as a function of the Copilot client and
 * the options, so tests can call it in-process or behind a real `Deno.serve`.
 *
 * Routes: `POST /` (seed-compatible, text streamed), `POST /v1/completions`,
 * `POST /v1/chat/completions`, `GET /v1/models`, `GET /healthz`.
 *
 * @module
 */

import { concat } from "@std/bytes/concat";
import { Access, isPreflight } from "./access.ts";
import type { CompletionChunk } from "../copilot/completion_stream.ts";
import type { CompletionRequest } from "../copilot/completion_request.ts";
import type { CopilotClient } from "../copilot/client.ts";
import { isAbort } from "../base/errors.ts";
import {
  ApiError,
  chatCall,
  type CompletionChoice,
  completionsCall,
  modelList,
  parseJsonObject,
  seedRequest,
  supportsChat,
  type TextCompletion,
  upstreamFailure,
  usageOf,
} from "./openai_shapes.ts";
import { redact } from "../base/redact.ts";
import { mapSource, type Sink, type Source, toStream } from "../base/pull.ts";

/** Largest request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the handler needs of the Copilot client (the real one, or a stub in unit tests). */
export type UpstreamClient = Pick<
  CopilotClient,
  "completionSource" | "chat" | "models" | "defaultModel"
>;

/** Options of {@linkcode createHandler}. */
export interface ServerOptions {
  /** The address the server is bound to; `Host` headers must name it (or loopback). */
  host: string;
  /** The port it listens on. */
  port: number;
  /** Browser origins allowed to call it (CORS). */
  allowOrigin?: string[];
  /** When set, every request needs `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** This machine's name, accepted in `Host` when bound to every interface. */
  hostname?: string;
  /** Writes one access-log line per request; absent means quiet. */
  log?: (line: string) => void;
  /** Reports bugs (unexpected errors); default `console.error`. Lines are redacted. */
  report?: (line: string) => void;
  /** Whether a GitHub login is present, for `/healthz`. */
  loggedIn?: () => Promise<boolean>;
  /** Aborts every request in flight (the shutdown deadline). */
  signal?: AbortSignal;
  /** Body size limit in bytes; default {@linkcode MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Clock, epoch milliseconds. */
  now?: () => number;
}

/** A `Deno.serve` handler. */
export type Handler = (req: Request) => Promise<Response>;

/** A part of a streamed answer: text (encoded at the end, in one go) or bytes. */
type Part = string | Uint8Array;

/**
 * A 200 answer whose body is read by hand: the handler makes it the one
 * stream `Deno.serve` reads (logging when it ends), so a streamed answer costs
 * one `ReadableStream` however many steps map it, and one write per upstream
 * read however many events that read held.
 */
class Streamed {
  constructor(readonly source: Source<Part>, readonly headers: Record<string, string>) {}
}

interface Route {
  method: "GET" | "POST";
  handle: (req: Request, signal: AbortSignal) => Promise<Response | Streamed>;
}

const MODELS_TTL_MS = 10 * 60 * 1000;
const MODELS_FAILURE_TTL_MS = 60 * 1000;
const MODELS_WAIT_MS = 2000;
const encoder = new TextEncoder();

const JSON_HEADERS = { "Content-Type": "application/json" };
const SSE_HEADERS = { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" };
const TEXT_HEADERS = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-cache" };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function errorResponse(err: ApiError): Response {
  return json(err.body(), err.status, err.headers);
}

/** Reads the body as text, refusing (413) more than `limit` bytes without buffering them. */
async function readBody(req: Request, limit: number): Promise<string> {
  const tooLarge = () => new ApiError(413, "body_too_large", `The body exceeds ${limit} bytes`);
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > limit) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!req.body) return "";
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid UTF-8");
  }
}

/**
 * Interleaves several chunk sources as their values come, tagging each value
 * with its source's position. Each source has at most one read in flight
 * ahead of the consumer. An error in one source fails the result (a value
 * another source had already read is dropped with it) and cancels the others.
 */
function merge<T>(sources: Source<T>[]): Source<[number, T]> {
  type Outcome = { i: number; result: ReadableStreamReadResult<T> } | { i: number; error: unknown };
  const pending = new Map<number, Promise<Outcome>>();
  const next = (i: number) =>
    pending.set(
      i,
      sources[i]!.read().then((result) => ({ i, result }), (error) => ({ i, error })),
    );
  const cancelAll = (reason: unknown) =>
    Promise.all(sources.map((s) => s.cancel(reason).catch(() => {}))).then(() => {});
  sources.forEach((_, i) => next(i));
  return {
    async read(): Promise<ReadableStreamReadResult<[number, T]>> {
      while (pending.size > 0) {
        const outcome = await Promise.race(pending.values());
        if ("error" in outcome) {
          pending.clear();
          await cancelAll(outcome.error);
          throw outcome.error;
        }
        if (outcome.result.done) {
          pending.delete(outcome.i);
          continue;
        }
        next(outcome.i);
        return { done: false, value: [outcome.i, outcome.result.value] };
      }
      return { done: true, value: undefined };
    },
    cancel: cancelAll,
  };
}

/** One SSE event of one line of `data` (JSON never holds a raw line break). */
function sseEvent(data: string): string {
  return `data: ${data}\n\n`;
}

/** What one read brought in, as the bytes of one write. */
function bytesOf(parts: Part[]): Uint8Array {
  if (parts.length === 1) {
    const part = parts[0]!;
    return typeof part === "string" ? encoder.encode(part) : part;
  }
  if (parts.every((part) => typeof part === "string")) return encoder.encode(parts.join(""));
  return concat(parts.map((part) => typeof part === "string" ? encoder.encode(part) : part));
}

const forward = <T>(value: T, controller: Sink<T>) => controller.enqueue(value);

/** The `data` of the SSE event that reports a failure after the answer started (the SDKs raise it). */
function errorEvent(err: unknown): string {
  return JSON.stringify(upstreamFailure(err).body());
}

/** The line for the log when something went wrong: the message, redacted and on one line. */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return redact(message).replace(/\s+/g, " ").slice(0, 300);
}

/** Resolves with `promise`'s value, or `fallback` after `ms` (the timer is always cleared). */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<F>((resolve) => timer = setTimeout(() => resolve(fallback), ms));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Creates the `Deno.serve` handler of `copilot serve`. It never throws: every
 * failure becomes an OpenAI-shaped error answer.
 *
 * @example
 * ```ts ignore
 * import { CopilotClient } from "../copilot/client.ts";
 * import { createHandler } from "./handler.ts";
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 8080 }, (req) => handler(req));
 * const handler = createHandler(new CopilotClient({ maxRetryAfter: 0 }), {
 *   host: "127.0.0.1",
 *   port: server.addr.port,
 *   log: console.error,
 * });
 * ```
 */
export function createHandler(client: UpstreamClient, options: ServerOptions): Handler {
  const access = new Access({
    host: options.host,
    port: options.port,
    allowOrigin: options.allowOrigin ?? [],
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
  });
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const now = options.now ?? Date.now;
  const report = options.report ?? ((line: string) => console.error(line));
  const loggedIn = options.loggedIn ?? (() => Promise.resolve(false));

  let models: { at: number; list: Promise<unknown[] | undefined> } | undefined;

  /** Copilot's model list, cached for 10 minutes (a failure for 1). */
  function cachedModels(): Promise<unknown[] | undefined> {
    const at = now();
    if (!models || at - models.at > MODELS_TTL_MS) {
      const list = client.models(options.signal).catch(() => undefined);
      const entry = { at, list };
      models = entry;
      list.then((l) => {
        if (l === undefined) entry.at = at - MODELS_TTL_MS + MODELS_FAILURE_TTL_MS;
      });
    }
    return models.list;
  }

  function modelOf(request: Omit<CompletionRequest, "prompt">): string {
    return request.model ?? client.defaultModel;
  }

  /** Starts one upstream completion per prompt; if one fails, the others are cancelled. */
  async function startCompletions(
    request: Omit<CompletionRequest, "prompt">,
    prompts: string[],
    signal: AbortSignal,
  ): Promise<Source<[number, CompletionChunk]>> {
    if (prompts.length === 1) {
      // One prompt (the usual case): its chunks as they come, tagged, without merging.
      const source = await client.completionSource({ ...request, prompt: prompts[0]! }, signal);
      return mapSource(source, { map: (chunk, out) => out.enqueue([0, chunk]) });
    }
    // The first failure aborts the others at once: the error answer waits for none of them.
    const batch = new AbortController();
    const both = AbortSignal.any([signal, batch.signal]);
    const started = prompts.map((prompt) => client.completionSource({ ...request, prompt }, both));
    try {
      return merge(await Promise.all(started));
    } catch (err) {
      batch.abort(err);
      for (const s of await Promise.allSettled(started)) {
        if (s.status === "fulfilled") await s.value.cancel().catch(() => {});
      }
      throw err;
    }
  }

  /** `POST /`: the seed-compatible route; choice 0 streams as plain text. */
  async function seed(req: Request, signal: AbortSignal): Promise<Response | Streamed> {
    const request = seedRequest(parseJsonObject(await readBody(req, limit)));
    const chunks = await startCompletions(request, [request.prompt], signal);
    // Other choices are kept and follow choice 0, each under its own separator line.
    const others = new Map<number, string>();
    const body = mapSource<[number, CompletionChunk], Part>(chunks, {
      map([, chunk], controller) {
        if (chunk.index === 0) {
          if (chunk.text !== "") controller.enqueue(chunk.text);
        } else others.set(chunk.index, (others.get(chunk.index) ?? "") + chunk.text);
      },
      end(controller) {
        const rest = [...others].sort(([a], [b]) => a - b);
        for (const [index, text] of rest) {
          controller.enqueue(`\n\n--- choice ${index + 1} ---\n${text}`);
        }
        controller.close();
      },
      // Plain text has no way to report an error: a failure cuts the answer off (no last chunk).
    });
    return new Streamed(body, TEXT_HEADERS);
  }

  /** `POST /v1/completions`: OpenAI's text completions, streamed or not. */
  async function completions(req: Request, signal: AbortSignal): Promise<Response | Streamed> {
    const call = completionsCall(parseJsonObject(await readBody(req, limit)));
    const { request, prompts, echo } = call;
    const n = request.n ?? 1;
    const model = modelOf(request);
    const chunks = await startCompletions(request, prompts, signal);
    const id = `cmpl-${crypto.randomUUID().replaceAll("-", "")}`;
    const created = Math.floor(now() / 1000);
    const texts: string[] = [];
    const finish: (string | null)[] = [];
    const started = new Set<number>();
    /** The text of a chunk as the client sees it: with the prompt first when echoing. */
    const textOf = (prompt: number, chunk: CompletionChunk): [number, string] => {
      const index = prompt * n + chunk.index;
      let text = chunk.text;
      if (echo && !started.has(index)) {
        started.add(index);
        text = prompts[prompt] + text;
      }
      texts[index] = (texts[index] ?? "") + text;
      if (chunk.finishReason) finish[index] = chunk.finishReason;
      return [index, text];
    };
    if (!call.stream) {
      for (let r = await chunks.read(); !r.done; r = await chunks.read()) textOf(...r.value);
      const choices: CompletionChoice[] = [];
      for (let index = 0; index < prompts.length * n; index++) {
        choices.push({
          text: texts[index] ?? "",
          index,
          logprobs: null,
          finish_reason: finish[index] ?? null,
        });
      }
      const answer: TextCompletion = {
        id,
        object: "text_completion",
        created,
        model,
        choices,
        usage: usageOf(prompts, texts.map((t) => t ?? "")),
      };
      return json(answer);
    }
    const events = mapSource<[number, CompletionChunk], Part>(chunks, {
      map([prompt, chunk], controller) {
        const [index, text] = textOf(prompt, chunk);
        if (text === "" && chunk.finishReason === null) return;
        const event: TextCompletion = {
          id,
          object: "text_completion",
          created,
          model,
          choices: [{ text, index, logprobs: null, finish_reason: chunk.finishReason }],
        };
        controller.enqueue(sseEvent(JSON.stringify(event)));
      },
      end(controller) {
        if (call.includeUsage) {
          const last: TextCompletion = {
            id,
            object: "text_completion",
            created,
            model,
            choices: [],
            usage: usageOf(prompts, texts.map((t) => t ?? "")),
          };
          controller.enqueue(sseEvent(JSON.stringify(last)));
        }
        controller.enqueue(sseEvent("[DONE]"));
        controller.close();
      },
      fail(err, controller) {
        if (isAbort(err)) return controller.error(err);
        controller.enqueue(sseEvent(errorEvent(err)));
        controller.close();
      },
    });
    return new Streamed(events, SSE_HEADERS);
  }

  /** `POST /v1/chat/completions`: forwarded to Copilot chat, the answer passed through. */
  async function chat(req: Request, signal: AbortSignal): Promise<Response | Streamed> {
    const body = parseJsonObject(await readBody(req, limit));
    const call = chatCall(body);
    const list = await within(cachedModels(), MODELS_WAIT_MS, undefined);
    const entry = list?.find((m) => (m as { id?: unknown } | null)?.id === call.model);
    if (entry !== undefined && !supportsChat(entry)) {
      const endpoints = (entry as { supported_endpoints: unknown[] }).supported_endpoints;
      throw new ApiError(
        400,
        "unsupported_model",
        `Model '${call.model}' does not support /chat/completions (it supports ${
          endpoints.map(String).join(", ") || "no endpoint"
        })`,
        { param: "model" },
      );
    }
    const upstream = await client.chat(body, signal);
    const type = upstream.headers.get("content-type") ??
      (call.stream ? "text/event-stream" : "application/json");
    const headers = { "Content-Type": type, "Cache-Control": "no-cache" };
    if (!upstream.body) return new Response(null, { headers });
    const reader = upstream.body.getReader();
    // Even a whole answer is relayed, so the log and the shutdown see it until its end.
    if (!call.stream) return new Streamed(reader, headers);
    // Passed through byte for byte; a failure after the start becomes an SSE error event.
    const passthrough = mapSource<Uint8Array, Part>(reader, {
      map: forward,
      fail(err, controller) {
        if (isAbort(err)) return controller.error(err);
        controller.enqueue(`\n\n${sseEvent(errorEvent(err))}`);
        controller.close();
      },
    });
    return new Streamed(passthrough, headers);
  }

  /** `GET /v1/models`: Copilot's models in OpenAI's list shape. */
  async function listModels(_req: Request, signal: AbortSignal): Promise<Response> {
    const entries = await client.models(signal);
    models = { at: now(), list: Promise.resolve(entries) };
    return json(modelList(entries));
  }

  /** `GET /healthz`: up, and whether a login is present. */
  async function health(): Promise<Response> {
    return json({ ok: true, logged_in: await loggedIn().catch(() => false) });
  }

  const routes: Record<string, Route> = {
    "/": { method: "POST", handle: seed },
    "/v1/completions": { method: "POST", handle: completions },
    "/v1/chat/completions": { method: "POST", handle: chat },
    "/v1/models": { method: "GET", handle: listModels },
    "/healthz": { method: "GET", handle: health },
  };

  // One listener on the long-lived shutdown signal aborts every request in flight: a per-request
  // AbortSignal.any() on it would be kept alive by it (Deno keeps dependents) and leak each request.
  const inFlight = new Set<AbortController>();
  options.signal?.addEventListener("abort", () => {
    for (const request of inFlight) request.abort(options.signal?.reason);
  }, { once: true });

  async function route(
    req: Request,
    path: string,
    signal: AbortSignal,
  ): Promise<Response | Streamed> {
    const refusal = await access.check(req);
    if (refusal) throw new ApiError(refusal.status, refusal.code, refusal.message);
    const found = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!found) {
      await req.body?.cancel().catch(() => {});
      throw new ApiError(404, "unknown_path", `Unknown path ${path.slice(0, 100)}`);
    }
    const allow = `${found.method}, OPTIONS`;
    if (req.method === "OPTIONS") {
      const preflight = isPreflight(req) ? access.preflightHeaders(req) : {};
      return new Response(null, { status: 204, headers: { "Allow": allow, ...preflight } });
    }
    if (req.method !== found.method) {
      await req.body?.cancel().catch(() => {});
      throw new ApiError(405, "method_not_allowed", `${path} takes ${found.method}`, {
        headers: { "Allow": allow },
      });
    }
    return await found.handle(req, signal);
  }

  return async function handler(req: Request): Promise<Response> {
    const started = performance.now();
    const path = new URL(req.url).pathname;
    let res: Response | Streamed;
    let note: string | undefined;
    // Aborted when the client leaves or at the shutdown deadline (a listener, not AbortSignal.any,
    // whose dependents Deno tracks with weak references: that costs every request).
    const request = new AbortController();
    inFlight.add(request);
    if (options.signal?.aborted) request.abort(options.signal.reason);
    req.signal.addEventListener("abort", () => request.abort(req.signal.reason), { once: true });
    try {
      res = await route(req, path, request.signal);
    } catch (err) {
      if (isAbort(err) && req.signal.aborted) {
        // The client left before the answer started; nobody reads this.
        res = new Response(null, { status: 499 });
        note = "client left";
      } else {
        const failure = upstreamFailure(err);
        if (failure.status === 500) report(`copilot: internal error: ${describe(err)}`);
        else if (failure.status >= 500) note = describe(failure);
        res = errorResponse(failure);
      }
    }
    const cors = access.corsHeaders(req.headers.get("origin"));
    const status = res instanceof Streamed ? 200 : res.status;
    const log = options.log;
    let logged = false;
    const line = (extra?: string) => {
      if (logged) return;
      logged = true;
      inFlight.delete(request);
      if (!log) return;
      const ms = (performance.now() - started).toFixed(1);
      const why = extra ?? note;
      log(`${req.method} ${redact(path).slice(0, 200)} ${status} ${ms}ms${why ? ` (${why})` : ""}`);
    };
    if (!(res instanceof Streamed)) {
      // In memory (or passed through as it is): done once handed over.
      for (const [name, value] of Object.entries(cors)) res.headers.set(name, value);
      line();
      return res;
    }
    const watched = mapSource<Part, Part>(res.source, {
      map: forward,
      end(controller) {
        line();
        controller.close();
      },
      fail(err, controller) {
        line(req.signal.aborted ? "client left" : `cut off: ${describe(err)}`);
        controller.error(err);
      },
      cancel: () => line("client left"),
    });
    return new Response(toStream(watched, bytesOf), { headers: { ...res.headers, ...cors } });
  };
}
