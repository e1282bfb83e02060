/**
 * Test-only: a scripted Copilot client for the unit tests of the handler and
 * the routes (no network, no `Deno.serve`).
 *
 * @module
 */

import { type CompletionChunk, completionDecoder } from "../copilot/completion_stream.ts";
import { chain, mapSource, type Source } from "../base/pull.ts";
import { sseDecoder } from "../copilot/sse.ts";
import type { CompletionRequest } from "../copilot/completion_request.ts";
import { ModelsCache } from "./models_cache.ts";
import type { UsageReport } from "../copilot/quota.ts";
import { type RouteContext, Streamed, type UpstreamClient } from "./route.ts";

/** A scripted Copilot client that records what it was asked. */
export class StubClient implements UpstreamClient {
  defaultModel = "gpt-41-copilot";
  usageReport: UsageReport = {
    plan: "individual",
    sku: "yearly_subscriber",
    resetDate: "2099-01-01",
    quotas: [],
  };
  completionCalls: CompletionRequest[] = [];
  chatBodies: Record<string, unknown>[] = [];
  modelCalls = 0;
  cancelled = 0;
  chunks: CompletionChunk[] = [
    { index: 0, text: "hello", finishReason: null },
    { index: 0, text: " world", finishReason: null },
    { index: 0, text: "", finishReason: "stop" },
  ];
  /** Thrown by `completionSource`/`chat`/`models` when set. */
  failure: unknown;
  /** Error the stream with this after its chunks. */
  streamFailure: unknown;
  /** When set, the completion stream waits for it after the first chunk. */
  gate: Promise<void> | undefined;
  /** When set, completions are decoded from these SSE bytes as the real client does. */
  rawSse: string[] | undefined;
  models_: unknown[] = [
    { id: "gpt-4.1", vendor: "Azure OpenAI", capabilities: { type: "chat" } },
    { id: "gpt-5-codex", capabilities: { type: "chat" }, supported_endpoints: ["/responses"] },
  ];
  chatBody = 'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n';

  completionSource(
    request: CompletionRequest,
    _signal?: AbortSignal,
  ): Promise<Source<CompletionChunk>> {
    this.completionCalls.push(request);
    if (this.failure) return Promise.reject(this.failure);
    if (this.rawSse) {
      const bytes = ReadableStream.from(this.rawSse.map((part) => new TextEncoder().encode(part)));
      return Promise.resolve(
        mapSource(bytes.getReader(), chain(sseDecoder(), completionDecoder())),
      );
    }
    const chunks = [...this.chunks];
    let sent = 0;
    return Promise.resolve(
      new ReadableStream<CompletionChunk>({
        pull: async (controller) => {
          if (sent === 1 && this.gate) await this.gate;
          const next = chunks[sent++];
          if (next) return controller.enqueue(next);
          if (this.streamFailure) return controller.error(this.streamFailure);
          controller.close();
        },
        cancel: () => {
          this.cancelled++;
        },
      }, { highWaterMark: 0 }).getReader(),
    );
  }

  /** Copilot chat's answer to `body` (what `post("chat", body)` gives by default). */
  chatAnswer(body: Record<string, unknown>): Response {
    this.chatBodies.push(body);
    if (body.stream) {
      const bytes = new TextEncoder().encode(this.chatBody);
      const failure = this.streamFailure;
      const parts = [bytes.subarray(0, 10), bytes.subarray(10)];
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const part = parts.shift();
          if (part && !(failure && parts.length === 0)) controller.enqueue(part);
          else if (failure) controller.error(failure);
          else controller.close();
        },
      }, { highWaterMark: 0 });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    }
    return Response.json({ object: "chat.completion", choices: [] });
  }

  /** Calls of `post`, as `[route, body, extra headers]`. */
  posts: [string, Record<string, unknown>, Record<string, string | undefined>][] = [];
  /**
   * The answer `post` gives (a fresh copy per call); by default {@linkcode chatAnswer} for
   * chat, else an empty JSON object.
   */
  postAnswer: (route: string, body: Record<string, unknown>) => Response = (route, body) =>
    route === "chat" ? this.chatAnswer(body) : Response.json({});

  post(
    route: string,
    body: Record<string, unknown>,
    extraHeaders: Record<string, string | undefined> = {},
    _signal?: AbortSignal,
  ): Promise<{ res: Response; body: Source<Uint8Array> }> {
    this.posts.push([route, body, extraHeaders]);
    if (this.failure) {
      if (route === "chat") this.chatBodies.push(body);
      return Promise.reject(this.failure);
    }
    const res = this.postAnswer(route, body);
    return Promise.resolve({ res, body: (res.body ?? ReadableStream.from([])).getReader() });
  }

  models(_signal?: AbortSignal): Promise<unknown[]> {
    this.modelCalls++;
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve(this.models_);
  }

  completionModel(_signal?: AbortSignal): Promise<string> {
    return Promise.resolve(this.defaultModel);
  }

  usage(_signal?: AbortSignal): Promise<UsageReport> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.resolve(this.usageReport);
  }
}

/** A route context around `client` with a fixed clock, for calling a route directly. */
export function stubContext(
  client: UpstreamClient = new StubClient(),
  overrides: Partial<RouteContext> = {},
): RouteContext {
  const now = overrides.now ?? (() => 1_700_000_000_000);
  return {
    client,
    maxBodyBytes: 1024,
    bodyMs: 5000,
    now,
    models: new ModelsCache(client, now),
    loggedIn: () => Promise.resolve(true),
    ...overrides,
  };
}

/** Every part of a streamed answer, as text. */
export async function textOf(answer: Response | Streamed): Promise<string> {
  if (answer instanceof Response) return await answer.text();
  const decoder = new TextDecoder();
  let text = "";
  for (let r = await answer.source.read(); !r.done; r = await answer.source.read()) {
    text += typeof r.value === "string" ? r.value : decoder.decode(r.value, { stream: true });
  }
  return text + decoder.decode();
}

/** A `POST` of `body` (JSON unless a string) to `path`. */
export function post(path: string, body: unknown): Request {
  return new Request(`http://127.0.0.1:8080${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** `answer` as a {@linkcode Streamed} answer; throws when it is not one. */
export function streamedOf(answer: Response | Streamed): Streamed {
  if (!(answer instanceof Streamed)) throw new TypeError("expected a Streamed answer");
  return answer;
}

/** `answer` as a whole `Response`; throws when it is streamed. */
export function responseOf(answer: Response | Streamed): Response {
  if (!(answer instanceof Response)) throw new TypeError("expected a Response");
  return answer;
}

/**
 * `GET /v1/models`'s answer for the stub's list: OpenAI's list shape, the completion model in
 * use listed even though the stub's list lacks it.
 */
export const STUB_MODELS_ANSWER = {
  object: "list",
  data: [
    { id: "gpt-4.1", object: "model", created: 0, owned_by: "Azure OpenAI" },
    { id: "gpt-5-codex", object: "model", created: 0, owned_by: "github-copilot" },
    { id: "gpt-41-copilot", object: "model", created: 0, owned_by: "github-copilot" },
  ],
};
