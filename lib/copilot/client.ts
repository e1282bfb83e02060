/**
 * The one Copilot client that `complete` and `serve` share: completions
 * (streamed), chat and models, with the session token refreshed after a 401
 * or 403, 5xx and resets before the first byte retried with backoff, and a
 * short `Retry-After` waited out (the rules: retry_policy.ts).
 *
 * Why this file is long: every kind of call shares one session, retry loop,
 * identity and model choice, which are private to this class; the per-route
 * details live in completion_request.ts, agent_routes.ts, model_choice.ts and
 * retry_policy.ts.
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import { type CompletionChunk, completionDecoder } from "./completion_stream.ts";
import { completionBody, type CompletionRequest, DEFAULT_MODEL } from "./completion_request.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { NetSettings, Settings } from "../base/settings.ts";
import { sleep } from "../base/sleep.ts";
import { request } from "../net/http.ts";
import {
  authorization,
  hopHeaders,
  type Identity,
  type InstallIds,
  perAttempt,
  resolveIdentity,
} from "../net/identity.ts";
import { installIds } from "../auth/install_ids.ts";
import { type CallKind, failure, peek } from "./answer.ts";
import { Session, type SessionToken } from "../auth/session.ts";
import { cacheKey } from "../base/cache_key.ts";
import {
  cachedModelChoice,
  type ModelChoice,
  modelsCachePath,
  readModelChoice,
} from "./model_choice.ts";
import { chain, mapSource, type Source, toStream } from "../base/pull.ts";
import { sseDecoder } from "./sse.ts";
import type { UsageReport } from "./quota.ts";
import { agentCall, type AgentRoute } from "./agent_routes.ts";
import { type AttemptOutcome, decide, DEFAULT_LIMITS, FIRST_ATTEMPT } from "./retry_policy.ts";

/** Options of a {@linkcode CopilotClient}. */
export interface ClientOptions {
  /** The run's settings: model, timeout, identity, URLs, where the session lives. */
  settings: Settings;
  /** The session token source; default a {@linkcode Session} over the settings' config dir. */
  session?: Session;
  /** Longest `Retry-After` (seconds) waited out before retrying; longer ones fail. Default 10. */
  maxRetryAfter?: number;
  /** Seconds to wait for headers and between body chunks; default the settings' (30). */
  timeout?: number;
  /** Delay of the n-th retry after a 5xx or a reset, in milliseconds. */
  backoff?: (attempt: number) => number;
  /** Read answers in buffers of this many bytes (a server with many streams); default Deno's. */
  readBytes?: number;
  /** The transport; default the global `fetch` (tests pass a fake). */
  fetch?: typeof fetch;
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

/** One Copilot call, before a session token is put in. */
interface Call {
  kind: CallKind;
  /** The model asked for, for the 404 message. */
  model: string;
  /** Which base of the session's endpoints the path goes on. */
  endpoint: "proxy" | "api";
  path: string;
  method: "GET" | "POST";
  /** Every header but `Authorization` (`{request}` markers are filled in per attempt). */
  headers: Record<string, string>;
  /** The JSON body, if any. */
  body?: unknown;
}

/** What one attempt came to: the answer, or why not and the error to report. */
type Attempt =
  | { answer: { res: Response; body: Source<Uint8Array> } }
  | { outcome: AttemptOutcome; error: CopilotError };

/** The session shown by a dry run before any exchange. */
const PLACEHOLDER_TOKEN = "tid=SESSION-TOKEN-NOT-YET-EXCHANGED";

/**
 * Talks to Copilot for both `complete` and `serve`; gets its session token
 * itself (from the settings' config dir), so callers only make a client.
 *
 * @example
 * ```ts ignore
 * import { CopilotClient } from "./client.ts";
 * import { readSettings } from "../base/settings.ts";
 * const client = new CopilotClient({ settings: readSettings(Deno.env.toObject()) });
 * for await (const chunk of await client.completions({ prompt: "def fib(n):\n" })) {
 *   console.log(chunk.text);
 * }
 * ```
 */
export class CopilotClient {
  /** The session token source. */
  readonly session: Session;
  #settings: Settings;
  #limits: typeof DEFAULT_LIMITS;
  #net: NetSettings;
  #readBytes: number | undefined;
  #fetch: typeof fetch | undefined;
  #identity: Identity;
  // The headers of each hop, made once per client (after the install ids are read).
  #hops: Promise<Record<CallKind, Record<string, string>>> | undefined;
  #proxy: string | undefined;
  #model: string | undefined;
  /** The model choice of the session token it was read or fetched for. */
  #choice: { token: string; choice: Promise<ModelChoice> } | undefined;

  /** Creates a client. */
  constructor(options: ClientOptions) {
    const { settings } = options;
    this.#settings = settings;
    this.session = options.session ?? new Session({ settings });
    this.#limits = {
      ...DEFAULT_LIMITS,
      ...(options.maxRetryAfter !== undefined ? { maxRetryAfter: options.maxRetryAfter } : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    };
    this.#net = { ...settings.net, timeout: options.timeout ?? settings.net.timeout };
    this.#readBytes = options.readBytes;
    this.#fetch = options.fetch;
    this.#identity = resolveIdentity(settings.identity);
    this.#proxy = upstreams(settings.host, settings.urls).proxy;
    this.#model = settings.model;
  }

  /**
   * The completion model used when a request names none: `COPILOT_MODEL`, else
   * the first completion model of Copilot's `/models` (fetched once per session
   * token and cached beside it), else `gpt-41-copilot` when `/models` fails.
   */
  async completionModel(signal?: AbortSignal): Promise<string> {
    if (this.#model !== undefined) return this.#model;
    return (await this.modelChoice(signal)).completion ?? DEFAULT_MODEL;
  }

  /** Plan and quotas (`copilot_internal/user`, cached once per session token). */
  async usage(signal?: AbortSignal): Promise<UsageReport> {
    const { copilotUser } = await import("../auth/copilot_user.ts");
    const { usageReport } = await import("./quota.ts");
    return usageReport(await copilotUser(this.#settings, this.session, signal));
  }

  /** Copilot's chat default (`is_chat_default`), when `/models` lists one. */
  async chatDefault(signal?: AbortSignal): Promise<string | undefined> {
    return (await this.modelChoice(signal)).chatDefault;
  }

  /** The models chosen from `/models` for the current session token (cached; read once). */
  async modelChoice(signal?: AbortSignal): Promise<ModelChoice> {
    const session = await this.session.get(signal);
    if (this.#choice?.token !== session.token) {
      const path = modelsCachePath(this.session.cacheDir);
      const choice = cachedModelChoice(path, session.token, () => this.models(signal));
      this.#choice = { token: session.token, choice };
      // A failure (an abort) is not kept: the next caller tries again.
      choice.catch(() => {
        if (this.#choice?.choice === choice) this.#choice = undefined;
      });
    }
    return await this.#choice.choice;
  }

  /**
   * The exact completions request for `request` (`--dry-run`), with the cached
   * session token, or a placeholder when none is cached; exchanges nothing.
   */
  async describeCompletion(request: CompletionRequest): Promise<RequestDescription> {
    let session: Pick<SessionToken, "token" | "endpoints"> | undefined = await this.session
      .cached();
    if (!session) {
      const { findCredentials } = await import("../auth/credentials.ts");
      const { DEFAULT_HOST, defaultEndpoints } = await import("../base/config.ts");
      const host = (await findCredentials(this.#settings))[0]?.host ?? DEFAULT_HOST;
      session = { token: PLACEHOLDER_TOKEN, endpoints: defaultEndpoints(host) };
    }
    let model = request.model ?? this.#model;
    if (model === undefined) {
      const cached = session.token === PLACEHOLDER_TOKEN ? undefined : await readModelChoice(
        modelsCachePath(this.session.cacheDir),
        cacheKey(session.token),
      );
      model = cached?.completion ?? DEFAULT_MODEL;
    }
    return this.#describe(await this.#completionCall({ ...request, model }), session);
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
    const model = request.model ?? await this.completionModel(signal);
    const { body } = await this.#send(await this.#completionCall({ ...request, model }), signal);
    return mapSource(body, chain(sseDecoder(), completionDecoder()));
  }

  /**
   * POSTs `body` to an agent route of Copilot (agent_routes.ts) with `extraHeaders`;
   * resolves once the first byte of a successful answer is in, with its head and its
   * body as a source read by hand (no stream between the socket and a relay).
   */
  async post(
    route: AgentRoute,
    body: Record<string, unknown>,
    extraHeaders: Record<string, string | undefined> = {},
    signal?: AbortSignal,
  ): Promise<{ res: Response; body: Source<Uint8Array> }> {
    const { path, headers } = agentCall(route, await this.#hopHeaders("chat"), extraHeaders);
    const model = typeof body.model === "string" ? body.model : "";
    const call: Call = {
      kind: "chat",
      model,
      endpoint: "api",
      path,
      method: "POST",
      headers,
      body,
    };
    return await this.#send(call, signal);
  }

  /** Copilot's model list (`GET {endpoints.api}/models`), entries as upstream sent them. */
  async models(signal?: AbortSignal): Promise<unknown[]> {
    const { body } = await this.#send({
      kind: "models",
      model: "",
      endpoint: "api",
      path: "/models",
      method: "GET",
      headers: await this.#hopHeaders("models"),
    }, signal);
    const json = await new Response(toStream(body)).json().catch(() => undefined);
    return Array.isArray(json?.data) ? json.data : [];
  }

  /** The headers of `kind` as the identity sends them, install ids filled in. */
  #hopHeaders(kind: CallKind): Promise<Record<string, string>> {
    this.#hops ??= installIds(this.#settings.configDir).then((ids: InstallIds) => ({
      completions: hopHeaders(this.#identity, "completions", ids),
      chat: hopHeaders(this.#identity, "chat", ids),
      models: hopHeaders(this.#identity, "models", ids),
    }));
    return this.#hops.then((hops) => hops[kind]);
  }

  async #completionCall(request: CompletionRequest & { model: string }): Promise<Call> {
    const model = request.model;
    return {
      kind: "completions",
      model,
      endpoint: "proxy",
      path: `/v1/engines/${encodeURIComponent(model)}/completions`,
      method: "POST",
      headers: {
        ...(await this.#hopHeaders("completions")),
        "OpenAI-Intent": (request.n ?? 1) > 1 ? "copilot-panel" : "copilot-ghost",
      },
      body: completionBody(request),
    };
  }

  /** `call` with the session token put in. */
  #describe(call: Call, session: Pick<SessionToken, "token" | "endpoints">): RequestDescription {
    const base = call.endpoint === "proxy"
      ? this.#proxy ?? session.endpoints.proxy
      : session.endpoints.api;
    return {
      method: call.method,
      url: `${base}${call.path}`,
      // A new X-Request-Id (and interaction id) per attempt, in its place among the headers.
      headers: {
        Authorization: authorization(this.#identity, call.kind, session.token)!,
        ...perAttempt(call.headers),
      },
      body: call.body,
    };
  }

  /** Sends `call` under the retry policy; resolves once the first body byte is in. */
  async #send(
    call: Call,
    signal?: AbortSignal,
  ): Promise<{ res: Response; body: Source<Uint8Array> }> {
    let state = FIRST_ATTEMPT;
    for (;;) {
      const session = await this.session.get(signal);
      const attempt = await this.#attempt(call, this.#describe(call, session), signal);
      if ("answer" in attempt) return attempt.answer;
      const decision = decide(attempt.outcome, state, this.#limits);
      if (decision.action === "fail") {
        throw attempt.error.status === 402
          ? await this.#withQuotaReset(attempt.error, call.kind, session.token)
          : attempt.error;
      }
      state = decision.state;
      if (decision.action === "refresh") this.session.invalidate(session.token);
      else await sleep(decision.afterMs, signal);
    }
  }

  /**
   * A 402 whose answer named no quota (a limited user's completions): the
   * quota and reset date from `copilot_internal/user`, when cached for this session.
   */
  async #withQuotaReset(error: CopilotError, kind: CallKind, token: string): Promise<CopilotError> {
    if (error.message.includes("resets")) return error;
    const { cachedCopilotUser } = await import("../auth/copilot_user.ts");
    const { quotaName, usageReport } = await import("./quota.ts");
    const user = await cachedCopilotUser(this.session.cacheDir, token).catch(() => undefined);
    const report = usageReport(user);
    const id = kind === "completions" ? "completions" : "chat";
    const reset = report.quotas.find((q) => q.id === id)?.resetDate ?? report.resetDate;
    if (!reset) return error;
    return new CopilotError(`Copilot quota exhausted: ${quotaName(id)}; it resets ${reset}`, {
      exitCode: error.exitCode,
      status: error.status,
      cause: error,
    });
  }

  /** One try: the answer once its first byte is in, or what went wrong. */
  async #attempt(
    call: Call,
    { method, url, headers, body }: RequestDescription,
    signal?: AbortSignal,
  ): Promise<Attempt> {
    const host = new URL(url).host;
    let res: Response;
    let answer: Source<Uint8Array> | null;
    try {
      ({ response: res, body: answer } = await request(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        net: this.#net,
        ...(this.#readBytes ? { readBytes: this.#readBytes } : {}),
        ...(this.#fetch ? { fetch: this.#fetch } : {}),
        ...(signal ? { signal } : {}),
      }));
    } catch (err) {
      // A timeout is reported, a network failure retried, a wrong setting (exit 2) thrown.
      if (!(err instanceof CopilotError)) throw err;
      if (err.exitCode === ExitCode.Timeout) return { outcome: { kind: "timeout" }, error: err };
      if (err.exitCode !== ExitCode.Failure) throw err;
      return { outcome: { kind: "reset" }, error: err };
    }
    if (res.ok) {
      try {
        const peeked = await peek(answer ?? ReadableStream.from<Uint8Array>([]).getReader(), host);
        return { answer: { res, body: peeked } };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        // No byte within the timeout.
        if (err instanceof CopilotError) return { outcome: { kind: "timeout" }, error: err };
        const error = new CopilotError(`${host} closed the connection before answering`, {
          cause: err,
        });
        return { outcome: { kind: "reset" }, error };
      }
    }
    const response = answer ? new Response(toStream(answer), res) : res;
    const error = await failure(response, call.kind, call.model);
    return { outcome: { kind: "status", status: res.status, retryAfter: error.retryAfter }, error };
  }
}
