/**
 * A strict, nasty fake of GitHub and Copilot for tests, the demo and benchmarks.
 *
 * One `Deno.serve` origin on 127.0.0.1 answers every hop of
 * `docs/copilot-protocol.md` (sections 1 to 4, checklist in section 6): the
 * device flow, `/user`, the session-token exchange, `copilot_internal/user`,
 * completions, chat and models. A sloppy client fails against it: wrong ids,
 * early polls, stale session tokens, non-streamed completions, missing headers
 * and JSON sent as text are rejected, and streams can be cut at the worst
 * places (inside UTF-8 characters, between `\r` and `\n`), held, slowed,
 * dropped or garbled.
 *
 * Run it alone with `deno run -A test/fake_upstream.ts [--port N]`: stdout
 * gets its URL and a GitHub token it accepts, one per line.
 *
 * @module
 */

import { delay } from "@std/async/delay";

/** Client id of the Copilot GitHub App, the one the device flow accepts by default. */
export const COPILOT_CLIENT_ID = "Iv1.b507a08c87ecfe98";

/** `grant_type` of a device-flow poll. */
export const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";

/** Text body of a 466 "client not supported" answer from the completions proxy. */
export const CLIENT_NOT_SUPPORTED =
  "bad request: the specified API version is no longer supported. You may need to update your client to a newer version.";

/** Default completion text: several lines, non-ASCII characters in a comment. */
export const DEFAULT_COMPLETION_TEXT =
  "\n    if n < 2:  # fib(0) → 0, fib(1) → 1\n        return n\n    return fib(n - 1) + fib(n - 2)\n";

/** Default chat answer. */
export const DEFAULT_CHAT_TEXT =
  "Voilà → the naïve version:\n\n```python\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n```\n";

/** GitHub token the default device flow issues (pre-registered when run standalone). */
export const DEFAULT_GITHUB_TOKEN = `ghu_${"F4keUpstre4mT0ken".padEnd(36, "0")}`;

/** Recursively optional version of `T`; arrays are replaced whole, not merged. */
export type DeepPartial<T> = T extends readonly unknown[] ? T
  : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

/** How a device flow ends once its `authorization_pending` answers are used up. */
export type DeviceOutcome = "approve" | "access_denied" | "expired_token" | "token_expired";

/** Device flow (`/login/device/code`, `/login/oauth/access_token`). */
export interface DeviceConfig {
  /** The only `client_id` accepted. Default {@linkcode COPILOT_CLIENT_ID}. */
  clientId: string;
  /** Seconds between polls, announced as `interval`; fractions allowed. Default 0.05. */
  interval: number;
  /** Seconds a device code lives, announced as `expires_in`. Default 900. */
  expiresIn: number;
  /** `authorization_pending` answers before the outcome. Default 1. */
  pending: number;
  /** Poll numbers (1-based, per device code) answered with `slow_down`. Default `[]`. */
  slowDownAt: number[];
  /** Seconds each `slow_down` adds to the interval (GitHub: 5). Default 0.05. */
  slowDownBy: number;
  /** Whether a `slow_down` answer carries the new `interval`. Default true. */
  slowDownCarriesInterval: boolean;
  /** Answer an early poll with `slow_down`, as GitHub does. Default true. */
  slowDownWhenEarly: boolean;
  /** A poll is early when it comes more than this many ms before the interval is up. Default 50. */
  slackMs: number;
  /** What the poll after the pending ones answers. Default `"approve"`. */
  outcome: DeviceOutcome;
  /** HTTP status of error answers: 200 (GitHub) or 400 (RFC 8628). Default 200. */
  errorStatus: 200 | 400;
  /** `user_code` shown to the user. Default `"WDJB-MJHT"`. */
  userCode: string;
  /** `verification_uri`. Default `"https://github.com/login/device"`. */
  verificationUri: string;
  /** Login of the approving user. Default `"octocat"`. */
  login: string;
  /** GitHub token issued on approval (then accepted by `/user` and the exchange). Default {@linkcode DEFAULT_GITHUB_TOKEN}. */
  accessToken: string;
  /** Add `expires_in`, `refresh_token` (`ghr_`) and `refresh_token_expires_in` on approval. Default false. */
  expiringToken: boolean;
}

/** What `/copilot_internal/v2/token` answers for a known GitHub token. */
export type ExchangeMode =
  | "ok"
  | "bad_credentials"
  | "no_access"
  | "rate_limited"
  | "not_found"
  | "server_error";

/** Session-token exchange (`/copilot_internal/v2/token`). */
export interface ExchangeConfig {
  /**
   * `ok`: a session token; `bad_credentials`: 401; `no_access`: 403 with
   * `error_details` (`url` holds `{EDITOR}`); `rate_limited`: 403 rate-limit
   * body; `not_found`: 404 with `"status": "404"`; `server_error`: 500.
   * Unknown GitHub tokens always get 401 and registered `gho_` tokens 404.
   * Default `"ok"`.
   */
  mode: ExchangeMode;
  /** `refresh_in` in seconds (fractions allowed for fast tests). Default 1500. */
  refreshIn: number;
  /** Seconds until the session token expires (`expires_at`, `exp`). Default 1800. */
  lifetime: number;
  /**
   * `endpoints` of the answer: the fake's own URL for `api`, `proxy`,
   * `telemetry` and `origin-tracker`, with these entries overriding; `null`
   * omits `endpoints`. Default `{}`.
   */
  endpoints: Record<string, string> | null;
}

/** The Copilot account behind every GitHub token. */
export interface AccountConfig {
  /** `copilot_plan` of `copilot_internal/user`. Default `"individual"`. */
  plan: string;
  /** `sku` in the session token and the exchange answer. Default `"yearly_subscriber"`. */
  sku: string;
}

/** `finish_reason` of a choice. */
export type FinishReason = "stop" | "length" | "content_filter";

/** How a streamed answer is produced and put on the wire (completions and chat alike). */
export interface StreamConfig {
  /** Text of every choice, or one per choice `index` (cycled). */
  text: string | string[];
  /** Cut the text into events before each `\n` (`"lines"`) or every N code points. */
  cut: "lines" | number;
  /** `finish_reason` of every choice, or one per choice `index` (cycled). Default `"stop"`. */
  finishReason: FinishReason | FinishReason[];
  /** Line ending of the SSE lines. Default `"\n"`. */
  lineEnding: "\n" | "\r\n" | "\r";
  /** Write `data:` without the space. Default false. */
  noSpace: boolean;
  /** Write a `: keep-alive` comment line before every event. Default false. */
  comments: boolean;
  /** Spread each event's JSON over several `data:` lines (joined with `\n` it is the same JSON). Default false. */
  multiLineData: boolean;
  /** Split every write into pieces of this many bytes, each its own read for the client; 0: off. Default 0. */
  splitEvery: number;
  /** Split every write inside each multi-byte UTF-8 character and between each `\r` and `\n`. Default false. */
  splitAtHazards: boolean;
  /** Delay before the response headers. Default 0. */
  headersDelayMs: number;
  /** Delay between the headers and the first body byte. Default 0. */
  firstByteDelayMs: number;
  /** Delay between events. Default 0. */
  gapMs: number;
  /** After this many events (`[DONE]` counts) the stream waits for {@linkcode FakeUpstream.release}; null: never. Default null. */
  hold: number | null;
  /** After this many events the connection drops (the body errors); null: never. Default null. */
  dropAfter: number | null;
  /** Events with empty and absent text (`delta` for chat) before the text. Default false. */
  emptyText: boolean;
  /** A `copilot_references` event without `choices` before the text. Default false. */
  references: boolean;
  /** Message of an `{"error": {...}}` event after the text; null: none. Default null. */
  errorEvent: string | null;
  /** End without `data: [DONE]`. Default false. */
  noDone: boolean;
  /** Message of a non-SSE JSON `{"error": {...}}` written at the end instead of `[DONE]`; null: none. Default null. */
  trailingError: string | null;
  /** Send `x-github-request-id` on every answer of these routes. Default true. */
  requestIdHeader: boolean;
}

/** `POST /v1/engines/{model}/completions`. */
export interface CompletionsConfig extends StreamConfig {
  /** Engines (`{model}`) that exist; others get 404. Default `gpt-41-copilot`, `gpt-4o-copilot`, `copilot-codex`. */
  engines: string[];
  /** Cut each choice's text at the first of the request's `stop` strings, as the server does. Default true. */
  applyStop: boolean;
}

/** `POST /chat/completions`, `GET /models`, `POST /models/{id}/policy`. */
export interface ChatConfig extends StreamConfig {
  /** Start the stream with an Azure-style chunk with empty `choices` and `prompt_filter_results`. Default true. */
  emptyChoices: boolean;
  /** End the stream with a `usage` chunk (empty `choices`). Default true. */
  usage: boolean;
  /** Accepted `Copilot-Integration-Id` values. Default `["vscode-chat"]`. */
  integrationIds: string[];
  /** Accepted editor names in `Editor-Version: name/version` (case-insensitive). */
  editors: string[];
}

/** Everything the fake does; tests may change any field between steps. */
export interface FakeConfig {
  /** Device flow. */
  device: DeviceConfig;
  /** Session-token exchange. */
  exchange: ExchangeConfig;
  /** Plan and sku. */
  account: AccountConfig;
  /** Completions endpoint. */
  completions: CompletionsConfig;
  /** Chat and models endpoints. */
  chat: ChatConfig;
  /** `GET /models` entries (some deliberately odd: unknown vendor, unparsable, policies). */
  models: Record<string, unknown>[];
}

/** One request as the fake received it. */
export interface RecordedRequest {
  /** HTTP method. */
  method: string;
  /** URL path without the query. */
  path: string;
  /** Request headers, names in lower case. */
  headers: Record<string, string>;
  /** Parsed body: JSON (if sent as JSON), form fields as an object, other text as a string, or null. */
  body: unknown;
}

/** Counters and recordings. */
export interface FakeStats {
  /** `POST /login/device/code` requests. */
  deviceCodes: number;
  /** `POST /login/oauth/access_token` requests. */
  devicePolls: number;
  /** Polls that came earlier than the current interval after the previous poll of the same code. */
  earlyPolls: number;
  /** `GET /user` requests. */
  users: number;
  /** `GET /copilot_internal/v2/token` requests. */
  exchanges: number;
  /** Completions requests, failed ones included. */
  completions: number;
  /** `POST /chat/completions` requests, failed ones included. */
  chats: number;
  /** `GET /models` requests. */
  models: number;
  /** Streams whose client went away before the stream ended. */
  abortedStreams: number;
  /** Every request, in order of arrival. */
  requests: RecordedRequest[];
}

/** A queued failure answer for the completions and chat endpoints. */
export interface FakeFailure {
  /** HTTP status, e.g. 401, 402, 403, 429, 466, 499, 500, 502, 503. */
  status: number;
  /** Body; default a realistic one: text for completions, `{"error": {...}}` JSON for chat. */
  body?: string;
  /** `Retry-After` value; 429 gets `1` unless set. */
  retryAfter?: number | string;
  /** More response headers. */
  headers?: Record<string, string>;
  /** Send the headers (with `status`, e.g. 200), then drop the connection before any body byte. */
  reset?: boolean;
}

/** Where the fake listens. */
export interface FakeServerOptions {
  /** Default `"127.0.0.1"`. */
  hostname?: string;
  /** Default 0 (any free port). */
  port?: number;
}

/** A running fake; `await using` closes it. */
export interface FakeUpstream extends AsyncDisposable {
  /** Base URL, e.g. "http://127.0.0.1:41234", no trailing slash. */
  readonly url: string;
  /** Mutable behaviour; tests change fields between steps. */
  readonly config: FakeConfig;
  /** Counters and recordings that tests assert on. */
  readonly stats: FakeStats;
  /** Registers a GitHub token the fake accepts for /user and the exchange. */
  addGitHubToken(token: string, login: string): void;
  /** Forgets a GitHub token: /user and the exchange answer 401 Bad credentials to it. */
  revokeGitHubToken(token: string): void;
  /** Makes every session token issued so far stale (completions/chat answer 401 to them). */
  expireSessionTokens(): void;
  /** Queues responses for the next requests to the completions (and chat) endpoints, consumed in order. */
  failNext(...failures: FakeFailure[]): void;
  /**
   * Releases a stream held by `config.completions.hold` (or `config.chat.hold`).
   * Each call lets one held stream go on; a call while none is held lets the next hold pass.
   */
  release(): void;
  /** Recorded requests whose path starts with `path`. */
  requestsTo(path: string): RecordedRequest[];
  /** Shuts the server down (waits for it); open streams are dropped. */
  close(): Promise<void>;
}

/** The default configuration: a fast happy path. */
export function defaultConfig(): FakeConfig {
  const wire = {
    finishReason: "stop",
    lineEnding: "\n",
    noSpace: false,
    comments: false,
    multiLineData: false,
    splitEvery: 0,
    splitAtHazards: false,
    headersDelayMs: 0,
    firstByteDelayMs: 0,
    gapMs: 0,
    hold: null,
    dropAfter: null,
    emptyText: false,
    references: false,
    errorEvent: null,
    noDone: false,
    trailingError: null,
    requestIdHeader: true,
  } as const;
  return {
    device: {
      clientId: COPILOT_CLIENT_ID,
      interval: 0.05,
      expiresIn: 900,
      pending: 1,
      slowDownAt: [],
      slowDownBy: 0.05,
      slowDownCarriesInterval: true,
      slowDownWhenEarly: true,
      slackMs: 50,
      outcome: "approve",
      errorStatus: 200,
      userCode: "WDJB-MJHT",
      verificationUri: "https://github.com/login/device",
      login: "octocat",
      accessToken: DEFAULT_GITHUB_TOKEN,
      expiringToken: false,
    },
    exchange: { mode: "ok", refreshIn: 1500, lifetime: 1800, endpoints: {} },
    account: { plan: "individual", sku: "yearly_subscriber" },
    completions: {
      ...wire,
      text: DEFAULT_COMPLETION_TEXT,
      cut: "lines",
      engines: ["gpt-41-copilot", "gpt-4o-copilot", "copilot-codex"],
      applyStop: true,
    },
    chat: {
      ...wire,
      text: DEFAULT_CHAT_TEXT,
      cut: 12,
      emptyChoices: true,
      usage: true,
      integrationIds: ["vscode-chat"],
      editors: ["vscode", "Neovim", "Vim", "Zed", "JetBrains-IC", "JetBrains-IU", "Emacs", "Xcode"],
    },
    models: defaultModels(),
  };
}

/**
 * Starts a fake on 127.0.0.1 (any free port unless `options.port`).
 *
 * @example
 * ```ts ignore
 * await using fake = await startFake({ completions: { text: "x = 1", splitAtHazards: true } });
 * fake.addGitHubToken("ghu_test", "octocat");
 * Deno.env.set("COPILOT_API_URL", fake.url);
 * ```
 */
export function startFake(
  config: DeepPartial<FakeConfig> = {},
  options: FakeServerOptions = {},
): Promise<FakeUpstream> {
  return Promise.resolve(new FakeServer(merge(defaultConfig(), config), options));
}

// ---------------------------------------------------------------------------
// The server

interface DeviceFlow {
  expiresAt: number;
  interval: number;
  polls: number;
  pendingAnswered: number;
  lastPollAt: number | undefined;
  ended: DeviceOutcome | undefined;
}

interface Session {
  expiresAt: number;
  stale: boolean;
}

interface GitHubUser {
  token: string;
  login: string;
}

class FakeServer implements FakeUpstream {
  readonly url: string;
  readonly config: FakeConfig;
  readonly stats: FakeStats = {
    deviceCodes: 0,
    devicePolls: 0,
    earlyPolls: 0,
    users: 0,
    exchanges: 0,
    completions: 0,
    chats: 0,
    models: 0,
    abortedStreams: 0,
    requests: [],
  };
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #closing = new AbortController();
  readonly #gate = new Gate();
  readonly #githubTokens = new Map<string, string>();
  readonly #sessions = new Map<string, Session>();
  readonly #flows = new Map<string, DeviceFlow>();
  readonly #failures: FakeFailure[] = [];
  #closed: Promise<void> | undefined;

  constructor(config: FakeConfig, options: FakeServerOptions) {
    this.config = config;
    this.#server = Deno.serve(
      {
        hostname: options.hostname ?? "127.0.0.1",
        port: options.port ?? 0,
        onListen() {},
        onError: quietOnError,
      },
      (request) => this.#handle(request),
    );
    this.url = `http://${this.#server.addr.hostname}:${this.#server.addr.port}`;
  }

  addGitHubToken(token: string, login: string): void {
    this.#githubTokens.set(token, login);
  }

  revokeGitHubToken(token: string): void {
    this.#githubTokens.delete(token);
  }

  expireSessionTokens(): void {
    for (const session of this.#sessions.values()) session.stale = true;
  }

  failNext(...failures: FakeFailure[]): void {
    this.#failures.push(...failures);
  }

  release(): void {
    this.#gate.release();
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.stats.requests.filter((request) => request.path.startsWith(path));
  }

  close(): Promise<void> {
    this.#closing.abort();
    this.#closed ??= this.#server.shutdown();
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const body = await readBody(request);
    const headers = Object.fromEntries(request.headers);
    this.stats.requests.push({ method: request.method, path, headers, body });
    const response = await this.#route(request, path, body);
    if (this.#stampsRequestId(path)) {
      response.headers.set("x-github-request-id", githubRequestId());
    }
    return response;
  }

  #route(request: Request, path: string, body: unknown): Response | Promise<Response> {
    const engine = /^\/v1\/engines\/([^/]+)\/completions$/.exec(path)?.[1];
    if (request.method === "POST" && engine !== undefined) {
      return this.#completions(request, decodeURIComponent(engine), body);
    }
    const policyOf = /^\/models\/([^/]+)\/policy$/.exec(path)?.[1];
    if (request.method === "POST" && policyOf !== undefined) {
      return this.#acceptPolicy(request, decodeURIComponent(policyOf), body);
    }
    switch (`${request.method} ${path}`) {
      case "POST /login/device/code":
        return this.#deviceCode(request, body);
      case "POST /login/oauth/access_token":
        return this.#devicePoll(request, body);
      case "GET /user":
        return this.#user(request);
      case "GET /copilot_internal/v2/token":
        return this.#exchange(request);
      case "GET /copilot_internal/user":
        return this.#copilotUser(request);
      case "POST /chat/completions":
        return this.#chat(request, body);
      case "GET /models":
        return this.#models(request);
      default:
        return githubError(404, "Not Found");
    }
  }

  #stampsRequestId(path: string): boolean {
    if (path.startsWith("/v1/engines/")) return this.config.completions.requestIdHeader;
    if (path === "/chat/completions" || path.startsWith("/models")) {
      return this.config.chat.requestIdHeader;
    }
    return true;
  }

  // --- Device flow --------------------------------------------------------

  #deviceCode(request: Request, body: unknown): Response {
    this.stats.deviceCodes++;
    const cfg = this.config.device;
    const answer = (status: number, fields: Record<string, string | number>) =>
      oauthAnswer(request, status, fields);
    if (stringFields(body).client_id !== cfg.clientId) {
      return answer(cfg.errorStatus, deviceError("incorrect_client_credentials"));
    }
    const deviceCode = randomHex(20);
    this.#flows.set(deviceCode, {
      expiresAt: performance.now() + cfg.expiresIn * 1000,
      interval: cfg.interval,
      polls: 0,
      pendingAnswered: 0,
      lastPollAt: undefined,
      ended: undefined,
    });
    return answer(200, {
      device_code: deviceCode,
      user_code: cfg.userCode,
      verification_uri: cfg.verificationUri,
      expires_in: cfg.expiresIn,
      interval: cfg.interval,
    });
  }

  #devicePoll(request: Request, body: unknown): Response {
    this.stats.devicePolls++;
    const cfg = this.config.device;
    const fields = this.#pollAnswer(stringFields(body));
    return oauthAnswer(request, "error" in fields ? cfg.errorStatus : 200, fields);
  }

  #pollAnswer(params: Record<string, string>): Record<string, string | number> {
    const cfg = this.config.device;
    if (params.client_id !== cfg.clientId) return deviceError("incorrect_client_credentials");
    if (params.grant_type !== DEVICE_GRANT_TYPE) return deviceError("unsupported_grant_type");
    const flow = this.#flows.get(params.device_code ?? "");
    if (flow === undefined) return deviceError("incorrect_device_code");
    const now = performance.now();
    const early = flow.lastPollAt !== undefined &&
      now - flow.lastPollAt < flow.interval * 1000 - cfg.slackMs;
    flow.lastPollAt = now;
    flow.polls++;
    if (early) this.stats.earlyPolls++;
    if (now >= flow.expiresAt) return deviceError("expired_token");
    if (flow.ended === "approve") return deviceError("incorrect_device_code");
    if (flow.ended !== undefined) return deviceError(flow.ended);
    if ((early && cfg.slowDownWhenEarly) || cfg.slowDownAt.includes(flow.polls)) {
      flow.interval = Math.round((flow.interval + cfg.slowDownBy) * 1000) / 1000;
      return deviceError("slow_down", cfg.slowDownCarriesInterval ? flow.interval : undefined);
    }
    if (flow.pendingAnswered < cfg.pending) {
      flow.pendingAnswered++;
      return deviceError("authorization_pending");
    }
    flow.ended = cfg.outcome;
    if (cfg.outcome !== "approve") return deviceError(cfg.outcome);
    this.addGitHubToken(cfg.accessToken, cfg.login);
    return {
      access_token: cfg.accessToken,
      token_type: "bearer",
      scope: "",
      ...(cfg.expiringToken
        ? {
          expires_in: 28800,
          refresh_token: `ghr_${randomHex(38)}`,
          refresh_token_expires_in: 15811200,
        }
        : {}),
    };
  }

  // --- GitHub REST --------------------------------------------------------

  #githubUser(request: Request): GitHubUser | undefined {
    const credentials = authorization(request);
    if (credentials === undefined || !["token", "bearer"].includes(credentials.scheme)) {
      return undefined;
    }
    const login = this.#githubTokens.get(credentials.token);
    return login === undefined ? undefined : { token: credentials.token, login };
  }

  #user(request: Request): Response {
    this.stats.users++;
    const user = this.#githubUser(request);
    if (user === undefined) return unauthenticated(request);
    return json(200, {
      login: user.login,
      id: this.#userId(user.login),
      node_id: `U_${btoa(user.login)}`,
      avatar_url: `https://avatars.githubusercontent.com/${user.login}`,
      html_url: `https://github.com/${user.login}`,
      type: "User",
      site_admin: false,
      name: null,
    });
  }

  #userId(login: string): number {
    return [...new Set(this.#githubTokens.values())].indexOf(login) + 1;
  }

  #exchange(request: Request): Response {
    this.stats.exchanges++;
    const user = this.#githubUser(request);
    if (user === undefined) return unauthenticated(request);
    if (user.token.startsWith("gho_")) return githubError(404, "Not Found");
    switch (this.config.exchange.mode) {
      case "ok":
        return json(200, this.#issueSession());
      case "bad_credentials":
        return githubError(401, "Bad credentials");
      case "no_access":
        return json(403, noAccessBody(user.login));
      case "rate_limited":
        return githubError(403, `API rate limit exceeded for user ID ${this.#userId(user.login)}.`);
      case "not_found":
        return githubError(404, "Not Found");
      case "server_error":
        return text(500, "Internal Server Error");
    }
  }

  #issueSession(): Record<string, unknown> {
    const { exchange, account } = this.config;
    const expiresAt = Date.now() + exchange.lifetime * 1000;
    const exp = Math.floor(expiresAt / 1000);
    const fields = `tid=${randomHex(16)};exp=${exp};sku=${account.sku};st=dotcom;chat=1;sn=1;rt=1`;
    const token = `${fields};8kp=1:${randomHex(32)}`;
    this.#sessions.set(token, { expiresAt, stale: false });
    return {
      token,
      expires_at: exp,
      refresh_in: exchange.refreshIn,
      ...(exchange.endpoints === null ? {} : { endpoints: this.#endpoints(exchange.endpoints) }),
      sku: account.sku,
      individual: true,
      chat_enabled: true,
      code_quote_enabled: false,
      code_review_enabled: false,
      codesearch: false,
      copilotignore_enabled: false,
      public_suggestions: "enabled",
      telemetry: "enabled",
      tracking_id: randomHex(16),
      limited_user_quotas: null,
      limited_user_reset_date: null,
      organization_list: [],
      enterprise_list: [],
      future_field_clients_must_ignore: { nested: [1, "two", null] },
    };
  }

  #endpoints(overrides: Record<string, string>): Record<string, string> {
    const self = this.url;
    return { api: self, proxy: self, telemetry: self, "origin-tracker": self, ...overrides };
  }

  #copilotUser(request: Request): Response {
    const user = this.#githubUser(request);
    if (user === undefined) return unauthenticated(request);
    const { plan, sku } = this.config.account;
    return json(200, {
      login: user.login,
      access_type_sku: sku,
      analytics_tracking_id: randomHex(16),
      assigned_date: "2024-01-01T00:00:00+00:00",
      can_signup_for_limited: false,
      chat_enabled: true,
      copilot_plan: plan,
      organization_login_list: [],
      organization_list: [],
      quota_reset_date: "2099-01-01",
      quota_snapshots: {
        chat: quota("chat", 0, 0, true),
        completions: quota("completions", 0, 0, true),
        premium_interactions: quota("premium_interactions", 300, 271, false),
      },
    });
  }

  // --- Copilot: completions, chat, models ---------------------------------

  #sessionDenial(request: Request): Response | undefined {
    const credentials = authorization(request);
    const session = credentials?.scheme === "bearer"
      ? this.#sessions.get(credentials.token)
      : undefined;
    if (session === undefined) return text(401, "unauthorized: token invalid");
    if (session.stale || Date.now() >= session.expiresAt) {
      return text(401, "unauthorized: token expired");
    }
    return undefined;
  }

  #completions(request: Request, model: string, body: unknown): Response | Promise<Response> {
    this.stats.completions++;
    const cfg = structuredClone(this.config.completions);
    const parsed = this.#sessionDenial(request) ?? jsonDenial(request) ??
      parseCompletionRequest(body);
    if (parsed instanceof Response) return parsed;
    if (!cfg.engines.includes(model)) return text(404, `not found: unknown model ${model}`);
    const failure = this.#failures.shift();
    if (failure !== undefined) return failureResponse(failure, "text");
    const stop = cfg.applyStop ? parsed.stop : [];
    const payloads = completionPayloads(choicesOf(cfg, parsed.n, stop), cfg, model);
    const echo = request.headers.get("x-request-id");
    return this.#stream(payloads, cfg, echo === null ? {} : { "x-request-id": echo });
  }

  #chat(request: Request, body: unknown): Response | Promise<Response> {
    this.stats.chats++;
    const cfg = structuredClone(this.config.chat);
    const parsed = copilotHeadersDenial(request, cfg) ?? this.#sessionDenial(request) ??
      jsonDenial(request) ?? parseChatRequest(body, this.config.models);
    if (parsed instanceof Response) return parsed;
    const failure = this.#failures.shift();
    if (failure !== undefined) return failureResponse(failure, "json");
    const choices = choicesOf(cfg, parsed.n, []);
    const usage = usageOf(parsed.promptChars, choices);
    if (!parsed.stream) return json(200, chatAnswer(choices, parsed.model, usage));
    return this.#stream(chatPayloads(choices, cfg, parsed.model, usage), cfg, {});
  }

  #models(request: Request): Response {
    this.stats.models++;
    const denied = copilotHeadersDenial(request, this.config.chat) ?? this.#sessionDenial(request);
    return denied ?? json(200, { object: "list", data: this.config.models });
  }

  #acceptPolicy(request: Request, id: string, body: unknown): Response {
    const denied = copilotHeadersDenial(request, this.config.chat) ??
      this.#sessionDenial(request) ?? jsonDenial(request);
    if (denied !== undefined) return denied;
    const model = this.config.models.find((entry) => entry.id === id);
    if (model === undefined) return copilotError(404, "model not found", "model_not_found");
    const state = stringFields(body).state;
    if (state !== "enabled") return copilotError(400, 'state must be "enabled"', "invalid_state");
    model.policy = { ...(isRecord(model.policy) ? model.policy : {}), state };
    return json(200, { state });
  }

  async #stream(
    payloads: unknown[],
    cfg: StreamConfig,
    headers: Record<string, string>,
  ): Promise<Response> {
    try {
      await pause(cfg.headersDelayMs, this.#closing.signal);
    } catch {
      return text(503, "service unavailable: shutting down");
    }
    const body = sseBody({
      events: eventData(payloads, cfg),
      trailer: cfg.trailingError === null
        ? null
        : `${JSON.stringify({ error: { message: cfg.trailingError, type: "upstream_error" } })}\n`,
      config: cfg,
      gate: this.#gate,
      closing: this.#closing.signal,
      onAbort: () => this.stats.abortedStreams++,
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...headers },
    });
  }
}

// ---------------------------------------------------------------------------
// Requests

/** Reads and parses a request body by its Content-Type (JSON, form, else text; empty: null). */
async function readBody(request: Request): Promise<unknown> {
  const raw = await request.text();
  if (raw === "") return null;
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return raw;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The string-valued fields of a parsed body (a JSON object or form). */
function stringFields(body: unknown): Record<string, string> {
  if (!isRecord(body)) return {};
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** `Authorization: <scheme> <token>`, the scheme in lower case. */
function authorization(request: Request): { scheme: string; token: string } | undefined {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(request.headers.get("authorization") ?? "");
  if (match === null) return undefined;
  return { scheme: match[1]!.toLowerCase(), token: match[2]! };
}

interface CompletionRequest {
  n: number;
  stop: string[];
}

interface ChatRequest {
  model: string;
  n: number;
  stream: boolean;
  promptChars: number;
}

/** 400 unless the body was sent as `application/json`. */
function jsonDenial(request: Request): Response | undefined {
  const type = request.headers.get("content-type") ?? "";
  return type.includes("application/json")
    ? undefined
    : text(400, "bad request: Content-Type must be application/json");
}

function parseN(body: Record<string, unknown>): number | Response {
  const n = body.n ?? 1;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 20
    ? n
    : text(400, "bad request: n must be an integer from 1 to 20");
}

function parseCompletionRequest(body: unknown): CompletionRequest | Response {
  if (!isRecord(body)) return text(400, "bad request: body must be a JSON object");
  if (typeof body.prompt !== "string") return text(400, "bad request: prompt must be a string");
  if (body.stream !== true) return text(400, "bad request: stream must be true");
  const n = parseN(body);
  if (n instanceof Response) return n;
  const stop = Array.isArray(body.stop)
    ? body.stop.filter((entry): entry is string => typeof entry === "string" && entry !== "")
    : [];
  return { n, stop };
}

function parseChatRequest(
  body: unknown,
  models: Record<string, unknown>[],
): ChatRequest | Response {
  if (!isRecord(body)) {
    return copilotError(400, "body must be a JSON object", "invalid_request_body");
  }
  const { messages, model } = body;
  if (!Array.isArray(messages) || messages.length === 0) {
    return copilotError(400, "messages must be a non-empty array", "invalid_request_body");
  }
  const entry = models.find((candidate) => candidate.id === model);
  const capabilities = isRecord(entry?.capabilities) ? entry.capabilities : {};
  if (typeof model !== "string" || capabilities.type !== "chat") {
    return copilotError(400, "The requested model is not supported.", "model_not_supported");
  }
  const endpoints = entry?.supported_endpoints;
  if (Array.isArray(endpoints) && !endpoints.includes("/chat/completions")) {
    return copilotError(
      400,
      `model "${model}" is not accessible via the /chat/completions endpoint`,
      "unsupported_api_for_model",
    );
  }
  const n = parseN(body);
  if (n instanceof Response) return n;
  return { model, n, stream: body.stream === true, promptChars: JSON.stringify(messages).length };
}

/** The plain-text 400s of the Copilot API when `Editor-Version` or `Copilot-Integration-Id` is missing or unknown. */
function copilotHeadersDenial(request: Request, cfg: ChatConfig): Response | undefined {
  const editor = request.headers.get("editor-version");
  if (editor === null) return text(400, "bad request: missing Editor-Version header for IDE auth");
  const name = /^([^/\s]+)\/\S+$/.exec(editor)?.[1]?.toLowerCase();
  if (name === undefined || !cfg.editors.some((known) => known.toLowerCase() === name)) {
    return text(400, "bad request: unknown Editor-Version header for IDE auth");
  }
  const integration = request.headers.get("copilot-integration-id");
  if (integration === null) {
    return text(400, "bad request: missing required Copilot-Integration-Id header");
  }
  if (!cfg.integrationIds.includes(integration)) {
    return text(400, "bad request: unknown Copilot-Integration-Id");
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Answers

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** A GitHub REST error body: `message`, `documentation_url` and `status` as a string. */
function githubError(status: number, message: string): Response {
  return json(status, {
    message,
    documentation_url: "https://docs.github.com/rest",
    status: String(status),
  });
}

/** 401 for a missing Authorization header or an unknown GitHub token. */
function unauthenticated(request: Request): Response {
  return githubError(
    401,
    request.headers.has("authorization") ? "Bad credentials" : "Requires authentication",
  );
}

/** A Copilot API error body: `{"error": {"message", "code", "type"}}`. */
function copilotError(status: number, message: string, code: string): Response {
  return json(status, { error: { message, code, type: "invalid_request_error" } });
}

function noAccessBody(login: string): Record<string, unknown> {
  return {
    message: "Resource not accessible by integration",
    error_details: {
      url: "https://github.com/github-copilot/signup?editor={EDITOR}",
      message: `No access to GitHub Copilot found. You are currently logged in as ${login}.`,
      title: "Signup for GitHub Copilot",
      notification_id: "no_copilot_access",
    },
    can_signup_for_limited: true,
  };
}

function quota(id: string, entitlement: number, remaining: number, unlimited: boolean) {
  return {
    entitlement,
    remaining,
    percent_remaining: entitlement === 0 ? 100 : Math.round((remaining / entitlement) * 1000) / 10,
    unlimited,
    overage_count: 0,
    overage_permitted: false,
    quota_id: id,
  };
}

const DEVICE_ERROR_DESCRIPTIONS: Readonly<Record<string, string>> = {
  authorization_pending: "The authorization request is still pending.",
  slow_down: "Too many requests have been made in the same timeframe.",
  expired_token: "The `device_code` has expired.",
  token_expired: "The `device_code` has expired.",
  access_denied: "The authorization request was denied.",
  unsupported_grant_type: "The grant type is not supported.",
  incorrect_client_credentials: "The client_id is not valid.",
  incorrect_device_code: "The device_code provided is not valid.",
};

function deviceError(error: string, interval?: number): Record<string, string | number> {
  return {
    error,
    error_description: DEVICE_ERROR_DESCRIPTIONS[error] ?? error,
    error_uri:
      "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow",
    ...(interval === undefined ? {} : { interval }),
  };
}

/** An OAuth answer: JSON when `Accept` asks for it, else form-encoded, as GitHub does. */
function oauthAnswer(
  request: Request,
  status: number,
  fields: Record<string, string | number>,
): Response {
  if ((request.headers.get("accept") ?? "").toLowerCase().includes("application/json")) {
    return json(status, fields);
  }
  const form = new URLSearchParams(
    Object.entries(fields).map(([key, value]) => [key, String(value)]),
  );
  return new Response(form.toString(), {
    status,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  });
}

const FAILURE_TEXT: Readonly<Record<number, string>> = {
  400: "bad request",
  401: "unauthorized: token expired",
  402: "quota exceeded: you have used all your free completions this month",
  403: "forbidden: access to this endpoint is blocked",
  404: "not found",
  422: "content filtered",
  429: "rate limited: too many requests, try again later",
  466: CLIENT_NOT_SUPPORTED,
  499: "request canceled by the server",
  500: "internal server error",
  502: "bad gateway",
  503: "service unavailable: upstream provider rate limit",
  504: "gateway timeout",
};

const FAILURE_CODE: Readonly<Record<number, string>> = {
  402: "quota_exceeded",
  422: "content_filter",
  429: "rate_limited",
};

/** The answer to a queued failure: text for completions, `{"error": {...}}` JSON for chat. */
function failureResponse(failure: FakeFailure, flavor: "text" | "json"): Response {
  if (failure.reset) {
    const body = new ReadableStream({
      start: (controller) => controller.error(new DroppedConnection()),
    });
    return new Response(body, {
      status: failure.status,
      headers: { "content-type": "text/event-stream", ...failure.headers },
    });
  }
  const message = FAILURE_TEXT[failure.status] ?? `HTTP ${failure.status}`;
  const code = FAILURE_CODE[failure.status];
  const body = failure.body ??
    (flavor === "text"
      ? message
      : JSON.stringify({ error: { message, type: "error", ...(code ? { code } : {}) } }));
  const retryAfter = failure.retryAfter ?? (failure.status === 429 ? 1 : undefined);
  return new Response(body, {
    status: failure.status,
    headers: {
      "content-type": body.startsWith("{")
        ? "application/json; charset=utf-8"
        : "text/plain; charset=utf-8",
      ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }),
      ...failure.headers,
    },
  });
}

/** Silences the deliberate connection drops; anything else is a bug in the fake. */
function quietOnError(error: unknown): Response {
  if (!(error instanceof DroppedConnection)) console.error("fake upstream:", error);
  return text(500, "Internal Server Error");
}

// ---------------------------------------------------------------------------
// Stream payloads

interface Choice {
  index: number;
  text: string;
  finishReason: FinishReason;
}

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** The value for choice `index`: `value` itself, or its entry (cycled) when it is a list. */
function pick<T extends string>(value: T | readonly T[], index: number): T | undefined {
  return typeof value === "string" ? value : value[index % value.length];
}

function choicesOf(cfg: StreamConfig, n: number, stop: string[]): Choice[] {
  return Array.from({ length: n }, (_, index) => ({
    index,
    text: truncateAtStop(pick(cfg.text, index) ?? "", stop),
    finishReason: pick(cfg.finishReason, index) ?? "stop",
  }));
}

function truncateAtStop(text: string, stop: string[]): string {
  const cuts = stop.map((sequence) => text.indexOf(sequence)).filter((at) => at >= 0);
  return cuts.length === 0 ? text : text.slice(0, Math.min(...cuts));
}

/** Cuts text before each `\n` (`"lines"`) or every `cut` code points. */
function cutText(text: string, cut: "lines" | number): string[] {
  if (cut === "lines") return text.split(/(?=\n)/).filter((piece) => piece !== "");
  const chars = Array.from(text);
  const size = Math.max(1, cut);
  const pieces: string[] = [];
  for (let start = 0; start < chars.length; start += size) {
    pieces.push(chars.slice(start, start + size).join(""));
  }
  return pieces;
}

/** Round-robin merge: first items of every list, then the second ones, and so on. */
function interleave<T>(lists: T[][]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, at) => lists.flatMap((list) => list.slice(at, at + 1)))
    .flat();
}

const REFERENCE = {
  type: "github.repository",
  id: "octo/fib",
  data: { type: "repository", name: "fib", ownerLogin: "octo" },
  metadata: { display_name: "octo/fib", display_icon: "", display_url: "" },
};

function errorPayloads(cfg: StreamConfig): unknown[] {
  return cfg.errorEvent === null
    ? []
    : [{ error: { message: cfg.errorEvent, type: "server_error", code: null } }];
}

/** The events of a completions stream, `[DONE]` excluded. */
function completionPayloads(choices: Choice[], cfg: StreamConfig, model: string): unknown[] {
  const meta = { id: `cmpl-${randomHex(12)}`, created: unixNow(), model };
  const texts = choices.map(({ index, text }) =>
    cutText(text, cfg.cut).map((piece, at) => ({
      ...(at === 0 ? meta : {}),
      choices: [{ text: piece, index, finish_reason: null, logprobs: null }],
    }))
  );
  return [
    ...(cfg.references ? [{ copilot_references: [REFERENCE] }] : []),
    ...(cfg.emptyText
      ? choices.flatMap(({ index }) => [
        { choices: [{ index, finish_reason: null }] },
        { choices: [{ text: "", index, finish_reason: null }] },
      ])
      : []),
    ...interleave(texts),
    ...errorPayloads(cfg),
    ...choices.map(({ index, finishReason }) => ({
      choices: [{ text: "", index, finish_reason: finishReason, logprobs: null }],
    })),
  ];
}

/** The chunks of a streamed chat answer, `[DONE]` excluded. */
function chatPayloads(choices: Choice[], cfg: ChatConfig, model: string, usage: Usage): unknown[] {
  const meta = {
    id: `chatcmpl-${randomHex(12)}`,
    object: "chat.completion.chunk",
    created: unixNow(),
    model,
    system_fingerprint: "fp_fake",
  };
  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
    ...meta,
    choices: [{ index, delta, finish_reason: finish }],
  });
  const texts = choices.map(({ index, text }) =>
    cutText(text, cfg.cut).map((content, at) =>
      chunk(index, at === 0 ? { role: "assistant", content } : { content })
    )
  );
  return [
    ...(cfg.emptyChoices ? [promptFilterChunk()] : []),
    ...(cfg.references ? [{ ...meta, choices: [], copilot_references: [REFERENCE] }] : []),
    ...(cfg.emptyText
      ? choices.flatMap(({ index }) => [chunk(index, {}), chunk(index, { content: null })])
      : []),
    ...interleave(texts),
    ...errorPayloads(cfg),
    ...choices.map(({ index, finishReason }) => chunk(index, {}, finishReason)),
    ...(cfg.usage ? [{ ...meta, choices: [], usage }] : []),
  ];
}

function promptFilterChunk(): Record<string, unknown> {
  const safe = { filtered: false, severity: "safe" };
  return {
    choices: [],
    created: 0,
    id: "",
    model: "",
    prompt_filter_results: [{
      prompt_index: 0,
      content_filter_results: { hate: safe, self_harm: safe, sexual: safe, violence: safe },
    }],
  };
}

function chatAnswer(choices: Choice[], model: string, usage: Usage): Record<string, unknown> {
  return {
    id: `chatcmpl-${randomHex(12)}`,
    object: "chat.completion",
    created: unixNow(),
    model,
    choices: choices.map(({ index, text, finishReason }) => ({
      index,
      message: { role: "assistant", content: text },
      finish_reason: finishReason,
    })),
    usage,
  };
}

function usageOf(promptChars: number, choices: Choice[]): Usage {
  const prompt = Math.ceil(promptChars / 4);
  const completion = choices.reduce((sum, { text }) => sum + Math.ceil(text.length / 4), 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** The `data` of each event: JSON (indented when spread over lines), then `[DONE]` unless switched off. */
function eventData(payloads: unknown[], cfg: StreamConfig): string[] {
  const data = payloads.map((payload) =>
    cfg.multiLineData ? JSON.stringify(payload, null, 1) : JSON.stringify(payload)
  );
  return cfg.noDone || cfg.trailingError !== null ? data : [...data, "[DONE]"];
}

// ---------------------------------------------------------------------------
// The wire

/** Error of a deliberately dropped connection (kept out of the server log). */
class DroppedConnection extends Error {
  constructor() {
    super("Cannot finish the stream: the fake dropped the connection");
    this.name = "DroppedConnection";
  }
}

/** A counting semaphore for held streams: each release lets one hold pass. */
class Gate {
  #permits = 0;
  readonly #waiters = new Set<() => void>();

  release(): void {
    const next = this.#waiters.values().next();
    if (next.done) {
      this.#permits++;
      return;
    }
    this.#waiters.delete(next.value);
    next.value();
  }

  pass(signal: AbortSignal): Promise<void> {
    if (this.#permits > 0) {
      this.#permits--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const wake = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        this.#waiters.delete(wake);
        reject(signal.reason);
      };
      this.#waiters.add(wake);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

interface StreamPlan {
  events: string[];
  trailer: string | null;
  config: StreamConfig;
  gate: Gate;
  closing: AbortSignal;
  onAbort(): void;
}

/**
 * The SSE body. It stops waiting on timers when the client cancels it (the
 * server cancels the body when the client goes away; `request.signal` is not
 * used because Deno warns about its legacy abort-on-success behaviour), and
 * drops the connection when the fake closes.
 */
function sseBody(plan: StreamPlan): ReadableStream<Uint8Array> {
  const cancelled = new AbortController();
  const signal = AbortSignal.any([cancelled.signal, plan.closing]);
  let finished = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      void (async () => {
        try {
          await writeStream(plan, signal, (bytes) => controller.enqueue(bytes));
          finished = true;
          controller.close();
        } catch (error) {
          finished = true;
          if (cancelled.signal.aborted) return;
          controller.error(plan.closing.aborted ? new DroppedConnection() : error);
        }
      })();
    },
    cancel() {
      if (!finished) plan.onAbort();
      cancelled.abort();
    },
  });
}

async function writeStream(
  plan: StreamPlan,
  signal: AbortSignal,
  enqueue: (bytes: Uint8Array) => void,
): Promise<void> {
  const cfg = plan.config;
  const write = (chunk: string) =>
    writeSplit(new TextEncoder().encode(chunk), cfg, signal, enqueue);
  for (let sent = 0; sent <= plan.events.length; sent++) {
    if (cfg.hold === sent) await plan.gate.pass(signal);
    if (cfg.dropAfter === sent) throw new DroppedConnection();
    const data = plan.events[sent];
    if (data === undefined) break;
    if (sent === 0) await pause(cfg.firstByteDelayMs, signal);
    if (cfg.comments) await write(`: keep-alive${cfg.lineEnding}`);
    if (sent > 0) await pause(cfg.gapMs, signal);
    await write(frame(data, cfg));
  }
  if (plan.trailer !== null) await write(plan.trailer);
}

/** One SSE event: a `data:` line per line of `data`, then a blank line. */
function frame(data: string, { lineEnding, noSpace }: StreamConfig): string {
  const field = noSpace ? "data:" : "data: ";
  return data.split("\n").map((line) => field + line + lineEnding).join("") + lineEnding;
}

/**
 * Enqueues `bytes` in pieces, a timer tick apart (also from the previous write's last piece) so
 * each reaches the client as its own read.
 */
async function writeSplit(
  bytes: Uint8Array,
  cfg: StreamConfig,
  signal: AbortSignal,
  enqueue: (bytes: Uint8Array) => void,
): Promise<void> {
  const cuts = cutPoints(bytes, cfg);
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    if (cuts.length > 0) await delay(0, { signal });
    if (signal.aborted) throw signal.reason;
    enqueue(bytes.subarray(start, end));
    start = end;
  }
}

/** Offsets where a write is split: every `splitEvery` bytes, and inside each multi-byte character and `\r\n`. */
function cutPoints(bytes: Uint8Array, cfg: StreamConfig): number[] {
  const cuts = new Set<number>();
  if (cfg.splitEvery > 0) {
    for (let at = cfg.splitEvery; at < bytes.length; at += cfg.splitEvery) cuts.add(at);
  }
  if (cfg.splitAtHazards) {
    for (let at = 0; at < bytes.length - 1; at++) {
      const byte = bytes[at]!;
      const isLeadByte = byte >= 0xc0;
      const isCrBeforeLf = byte === 0x0d && bytes[at + 1] === 0x0a;
      if (isLeadByte || isCrBeforeLf) cuts.add(at + 1);
    }
  }
  return [...cuts].sort((a, b) => a - b);
}

/** Waits `ms` (no timer at all for 0); rejects when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return ms > 0 ? delay(ms, { signal }) : Promise.resolve();
}

// ---------------------------------------------------------------------------
// Small helpers

function randomHex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** An id shaped like GitHub's `x-github-request-id`, e.g. `D4C0:3E5D:1A2B3C:4D5E6F:675A1B2C`. */
function githubRequestId(): string {
  return [randomHex(2), randomHex(2), randomHex(3), randomHex(3), randomHex(4)].join(":")
    .toUpperCase();
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Deep-merges `patch` into a copy of `base`: plain objects merge, anything else replaces. */
function merge<T>(base: T, patch: NoInfer<DeepPartial<T>> | undefined): T {
  if (patch === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) merged[key] = merge(merged[key], value);
  }
  return merged as T;
}

function modelEntry(
  id: string,
  vendor: string,
  type: "chat" | "completion" | "embeddings",
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const isChat = type === "chat";
  return {
    id,
    name: id.toUpperCase(),
    vendor,
    version: `${id}-2025-01-01`,
    object: "model",
    preview: false,
    model_picker_enabled: isChat,
    is_chat_default: false,
    is_chat_fallback: false,
    billing: { is_premium: false, multiplier: 0 },
    capabilities: {
      type,
      family: id,
      object: "model_capabilities",
      tokenizer: "o200k_base",
      limits: {
        max_context_window_tokens: 128000,
        max_output_tokens: 16384,
        max_prompt_tokens: 128000,
      },
      supports: { streaming: true, tool_calls: isChat, parallel_tool_calls: isChat, vision: false },
    },
    ...extra,
  };
}

/**
 * The default `/models` list: chat models (a default, a premium one needing
 * consent, a pending preview, one only served on `/responses`), a completion
 * model, an embeddings model, an unknown vendor with extra fields and an
 * entry that does not parse.
 */
export function defaultModels(): Record<string, unknown>[] {
  return [
    modelEntry("gpt-4.1", "Azure OpenAI", "chat", {
      is_chat_default: true,
      is_chat_fallback: true,
      policy: { state: "enabled", terms: "Enable access to GPT-4.1." },
    }),
    modelEntry("gpt-4o", "Azure OpenAI", "chat", { supported_endpoints: ["/chat/completions"] }),
    modelEntry("claude-sonnet-4", "Anthropic", "chat", {
      billing: { is_premium: true, multiplier: 1 },
      policy: { state: "requires_consent", terms: "Enable access to Claude Sonnet 4." },
      supported_endpoints: ["/chat/completions", "/v1/messages"],
    }),
    modelEntry("gemini-2.5-pro", "Google", "chat", {
      preview: true,
      policy: { state: "pending", terms: "Enable access to Gemini 2.5 Pro." },
    }),
    modelEntry("gpt-5-codex", "OpenAI", "chat", { supported_endpoints: ["/responses"] }),
    modelEntry("gpt-4o-copilot", "Azure OpenAI", "completion"),
    modelEntry("text-embedding-3-small", "Azure OpenAI", "embeddings"),
    modelEntry("nimbus-1", "Nimbus Labs", "chat", {
      warp_drive: { enabled: true },
      capabilities: { type: "chat", family: "nimbus", supports: { telepathy: true } },
    }),
    { id: "broken-model", object: "model", capabilities: "unknown" },
  ];
}

if (import.meta.main) {
  const { parseArgs } = await import("@std/cli/parse-args");
  const args = parseArgs(Deno.args, { string: ["port"] });
  const port = Number(args.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: Cannot start the fake: --port must be 0 to 65535, got ${args.port}`);
    Deno.exit(2);
  }
  const fake = await startFake({}, { port });
  fake.addGitHubToken(fake.config.device.accessToken, fake.config.device.login);
  console.log(fake.url);
  console.log(fake.config.device.accessToken);
  console.error(
    `fake upstream listening: COPILOT_GITHUB_URL=${fake.url} COPILOT_API_URL=${fake.url} (Ctrl-C stops it)`,
  );
}
