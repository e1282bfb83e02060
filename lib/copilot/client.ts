/**
 * The one Copilot client that `complete` and `serve` share: completions
 * (streamed), chat and models, with the session token refreshed after a 401
 * or 403, 5xx and resets before the first byte retried with backoff, and a
 * short `Retry-After` waited out.
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import { type CompletionChunk, completionDecoder } from "./completion_stream.ts";
import { completionBody, type CompletionRequest, DEFAULT_MODEL } from "./completion_request.ts";
import { env } from "../base/config.ts";
import { CopilotError, ExitCode, isAbort } from "../base/errors.ts";
import { defaultTimeout, errorMessage, request, retryAfterSeconds } from "../net/http.ts";
import { identityHeaders, identityHint } from "../net/identity.ts";
import { Session, type SessionToken } from "../auth/session.ts";
import { chain, mapSource, type Source, toStream } from "../base/pull.ts";
import { sseDecoder } from "./sse.ts";

/** Options of a {@linkcode CopilotClient}. */
export interface ClientOptions {
  /** The session token source; default a {@linkcode Session} over the config dir. */
  session?: Session;
  /** Longest `Retry-After` (seconds) waited out before retrying; longer ones fail. Default 10. */
  maxRetryAfter?: number;
  /** Seconds to wait for headers and between body chunks; default `COPILOT_TIMEOUT` or 30. */
  timeout?: number;
  /** Delay of the n-th retry after a 5xx or a reset, in milliseconds. */
  backoff?: (attempt: number) => number;
  /** Read answers in buffers of this many bytes (a server with many streams); default Deno's. */
  readBytes?: number;
}

/** An HTTP request, as {@linkcode CopilotClient.describeCompletion} shows it. */
export interface RequestDescription {
  /** Method and URL. */
  method: string;
  /** The URL. */
  url: string;
  /** Every header. */
  headers: Record<string, string>;
  /** The JSON body. */
  body: unknown;
}

type Kind = "completions" | "chat" | "models";

const RETRIED_STATUSES = new Set([500, 502, 503, 504]);
const MAX_RETRIES = 2;

/** `delay` from std, loaded only when a retry waits (a warm run never does). */
async function wait(ms: number, signal?: AbortSignal): Promise<void> {
  const { delay } = await import("@std/async/delay");
  await delay(ms, signal ? { signal } : {});
}

/**
 * Waits for the first chunk of `body` (rejecting with the body's error, so a
 * reset before the first byte can be retried); reads then replay it and turn a
 * later failure into "cut off" {@linkcode CopilotError}.
 */
async function peek(body: Source<Uint8Array>, host: string): Promise<Source<Uint8Array>> {
  let first: ReadableStreamReadResult<Uint8Array> | undefined = await body.read();
  return {
    async read() {
      if (first !== undefined) {
        const chunk = first;
        first = undefined;
        return chunk;
      }
      try {
        return await body.read();
      } catch (err) {
        if (err instanceof CopilotError || isAbort(err)) throw err;
        throw new CopilotError(`connection to ${host} lost mid-answer`, { cause: err });
      }
    },
    cancel: (reason) => body.cancel(reason),
    take() {
      if (first === undefined) return body.take?.();
      if (first.done) return undefined;
      const { value } = first;
      first = undefined;
      return value;
    },
  };
}

/** The user-facing error for a failed Copilot answer. */
async function failure(res: Response, kind: Kind, model: string): Promise<CopilotError> {
  const said = await errorMessage(res);
  const status = res.status;
  const options = { status, retryAfter: retryAfterSeconds(res) };
  switch (status) {
    case 401:
    case 403:
      return new CopilotError(`Copilot rejected the session token: ${said}`, {
        ...options,
        exitCode: ExitCode.Auth,
      });
    case 402:
      return new CopilotError(`Copilot quota exhausted: ${said}`, {
        ...options,
        exitCode: ExitCode.RateLimited,
      });
    case 404:
      return new CopilotError(
        kind === "completions" ? `unknown model ${model} (try --model): ${said}` : said,
        options,
      );
    case 429: {
      const when = options.retryAfter === undefined
        ? "later"
        : `in ${Math.ceil(options.retryAfter)} s`;
      return new CopilotError(`Copilot rate limit reached; try again ${when}`, {
        ...options,
        exitCode: ExitCode.RateLimited,
      });
    }
    case 466:
      return new CopilotError(
        `Copilot no longer supports this client (${said}); ${identityHint()}`,
        options,
      );
    default:
      return new CopilotError(`Copilot answered ${status}: ${said}`, options);
  }
}

/**
 * Talks to Copilot for both `complete` and `serve`.
 *
 * @example
 * ```ts ignore
 * import { CopilotClient } from "./client.ts";
 * const client = new CopilotClient();
 * for await (const chunk of await client.completions({ prompt: "def fib(n):\n" })) {
 *   console.log(chunk.text);
 * }
 * ```
 */
export class CopilotClient {
  /** The session token source. */
  readonly session: Session;
  #maxRetryAfter: number;
  #timeout: number;
  #backoff: (attempt: number) => number;
  #readBytes: number | undefined;
  // Read from the environment once per client, not once per request (each read is an op).
  #identity: Record<string, string>;
  #integration: Record<string, string>;
  #proxy: string | undefined;
  #model: string;

  /** Creates a client. */
  constructor(options: ClientOptions = {}) {
    this.session = options.session ?? new Session();
    this.#maxRetryAfter = options.maxRetryAfter ?? 10;
    this.#timeout = options.timeout ?? defaultTimeout();
    this.#backoff = options.backoff ?? ((attempt) => 250 * 3 ** attempt);
    this.#readBytes = options.readBytes;
    this.#identity = identityHeaders(
      "editorVersion",
      "editorPluginVersion",
      "userAgent",
      "copilotApiVersion",
    );
    this.#integration = identityHeaders("integrationId");
    this.#proxy = upstreams().proxy;
    this.#model = env("COPILOT_MODEL") ?? DEFAULT_MODEL;
  }

  /** The model used when a request names none: `COPILOT_MODEL`, else Copilot's default. */
  get defaultModel(): string {
    return this.#model;
  }

  /** The exact completions request for `request` with session `session`. */
  describeCompletion(
    request: CompletionRequest,
    session: Pick<SessionToken, "token" | "endpoints" | "host">,
  ): RequestDescription {
    const model = request.model ?? this.#model;
    const base = this.#proxy ?? session.endpoints.proxy;
    return {
      method: "POST",
      url: `${base}/v1/engines/${encodeURIComponent(model)}/completions`,
      headers: {
        "Authorization": `Bearer ${session.token}`,
        "Content-Type": "application/json",
        "X-Request-Id": crypto.randomUUID(),
        "Openai-Organization": "github-copilot",
        "OpenAI-Intent": (request.n ?? 1) > 1 ? "copilot-panel" : "copilot-ghost",
        ...this.#identity,
      },
      body: completionBody(request),
    };
  }

  /**
   * Streams a completion: resolves once the first byte has arrived (so
   * failures before it can be retried), then yields chunks as they decode.
   */
  async completions(
    request: CompletionRequest,
    signal?: AbortSignal,
  ): Promise<ReadableStream<CompletionChunk>> {
    return toStream(await this.completionSource(request, signal));
  }

  /**
   * {@linkcode completions} read by hand, with no stream at all between the
   * socket and the caller (a server relays many of them at once).
   */
  async completionSource(
    request: CompletionRequest,
    signal?: AbortSignal,
  ): Promise<Source<CompletionChunk>> {
    const model = request.model ?? this.#model;
    const { body } = await this.#request("completions", model, (session) => {
      const { url, headers, body } = this.describeCompletion(request, session);
      return { url, init: { method: "POST", headers, body: JSON.stringify(body) } };
    }, signal);
    return mapSource(body, chain(sseDecoder(), completionDecoder()));
  }

  /**
   * Sends an OpenAI-shaped chat request to `{endpoints.api}/chat/completions`.
   * Resolves with the successful upstream response; its body streams as it arrives.
   */
  async chat(body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
    const model = typeof body.model === "string" ? body.model : "";
    const { res, body: peeked } = await this.#request("chat", model, (session) => ({
      url: `${session.endpoints.api}/chat/completions`,
      init: {
        method: "POST",
        headers: this.#apiHeaders(session, "conversation-panel"),
        body: JSON.stringify(body),
      },
    }), signal);
    return new Response(toStream(peeked), res);
  }

  /** Copilot's model list (`GET {endpoints.api}/models`), entries as upstream sent them. */
  async models(signal?: AbortSignal): Promise<unknown[]> {
    const { body } = await this.#request("models", "", (session) => ({
      url: `${session.endpoints.api}/models`,
      init: { headers: this.#apiHeaders(session, "model-access") },
    }), signal);
    const json = await new Response(toStream(body)).json().catch(() => undefined);
    return Array.isArray(json?.data) ? json.data : [];
  }

  #apiHeaders(session: SessionToken, intent: string): Record<string, string> {
    return {
      "Authorization": `Bearer ${session.token}`,
      "Content-Type": "application/json",
      "X-Request-Id": crypto.randomUUID(),
      "OpenAI-Intent": intent,
      ...this.#identity,
      ...this.#integration,
    };
  }

  /** Sends with the retry rules; resolves once the first body byte is in. */
  async #request(
    kind: Kind,
    model: string,
    build: (session: SessionToken) => { url: string; init: Omit<RequestInit, "signal"> },
    signal?: AbortSignal,
  ): Promise<{ res: Response; body: Source<Uint8Array>; host: string }> {
    let refreshed = false;
    let waited = false;
    for (let attempt = 0;; attempt++) {
      const session = await this.session.get(signal);
      const { url, init } = build(session);
      const host = new URL(url).host;
      const retry = async (err: CopilotError) => {
        if (attempt >= MAX_RETRIES) throw err;
        await wait(this.#backoff(attempt), signal);
      };
      let res: Response;
      let answer: Source<Uint8Array> | null;
      try {
        ({ response: res, body: answer } = await request(url, {
          ...init,
          timeout: this.#timeout,
          ...(this.#readBytes ? { readBytes: this.#readBytes } : {}),
          ...(signal ? { signal } : {}),
        }));
      } catch (err) {
        // Only a network failure is retried: not a timeout, not a setting that is wrong.
        if (!(err instanceof CopilotError) || err.exitCode !== ExitCode.Failure) throw err;
        await retry(err);
        continue;
      }
      if (res.ok) {
        try {
          const body = await peek(answer ?? ReadableStream.from<Uint8Array>([]).getReader(), host);
          return { res, body, host };
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          if (err instanceof CopilotError) throw err; // no byte within the timeout
          await retry(
            new CopilotError(`${host} closed the connection before answering`, { cause: err }),
          );
          continue;
        }
      }
      const error = await failure(answer ? new Response(toStream(answer), res) : res, kind, model);
      if ((res.status === 401 || res.status === 403) && !refreshed) {
        refreshed = true;
        this.session.invalidate(session.token);
        attempt--;
        continue;
      }
      if (RETRIED_STATUSES.has(res.status)) {
        await retry(error);
        continue;
      }
      if (
        res.status === 429 && !waited && error.retryAfter !== undefined &&
        error.retryAfter <= this.#maxRetryAfter
      ) {
        waited = true;
        await wait(error.retryAfter * 1000, signal);
        attempt--;
        continue;
      }
      throw error;
    }
  }
}
