/**
 * Who may call `copilot serve`: the `Host` check against DNS rebinding, the
 * `Origin` allow-list with its CORS headers, and the API key, compared in
 * constant time.
 *
 * @module
 */

/** What {@linkcode Access} needs to know about the server. */
export interface AccessOptions {
  /** The address the server is bound to (`127.0.0.1`, `::1`, `0.0.0.0`, a name...). */
  host: string;
  /** The port it listens on. */
  port: number;
  /** Browser origins allowed to call it, e.g. `http://localhost:3000`. */
  allowOrigin?: string[];
  /** When set, every request must carry `Authorization: Bearer <apiKey>` or `x-api-key: <apiKey>`. */
  apiKey?: string;
  /** This machine's host name, accepted in `Host` when bound to every interface. */
  hostname?: string;
}

/** A refusal: the status, and the code (OpenAI's `error.code`) and message to answer with. */
export interface Refusal {
  /** 400 (no or malformed `Host`), 401 or 403. */
  status: 400 | 401 | 403;
  /** Short machine-readable code. */
  code: string;
  /** One line for the caller. */
  message: string;
}

/** Most `Host` verdicts remembered. */
const MAX_VERDICTS = 256;

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);
const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** True when `host` (an address or name to bind) only reaches this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** `host` as it appears in a URL or a `Host` header: IPv6 in brackets, lower case. */
export function urlHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(":") && !lower.startsWith("[") ? `[${lower}]` : lower;
}

/** Splits a `Host` header into name and port (`undefined` when absent). */
function splitHost(header: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!match) return undefined;
  return {
    name: match[1]!.toLowerCase(),
    port: match[2] === undefined ? undefined : Number(match[2]),
  };
}

/**
 * Decides whether a request may be served, and which CORS headers it gets.
 *
 * @example
 * ```ts
 * import { Access } from "./access.ts";
 * const access = new Access({ host: "127.0.0.1", port: 8080 });
 * const req = new Request("http://127.0.0.1:8080/healthz", { headers: { host: "evil.example:8080" } });
 * console.assert((await access.check(req))?.status === 403);
 * ```
 */
export class Access {
  #host: string;
  #port: number;
  #origins: Set<string>;
  #wildcard: boolean;
  #hostname: string | undefined;
  #key: Promise<Uint8Array> | undefined;
  readonly #verdicts = new Map<string, Refusal | undefined>();

  /** Creates the checks for one server. */
  constructor(options: AccessOptions) {
    this.#host = urlHost(options.host);
    this.#port = options.port;
    this.#origins = new Set((options.allowOrigin ?? []).map((o) => o.replace(/\/+$/, "")));
    this.#wildcard = WILDCARD.has(this.#host);
    this.#hostname = options.hostname?.toLowerCase();
    this.#key = options.apiKey === undefined ? undefined : digest(options.apiKey);
  }

  /** True when an API key is required. */
  get requiresKey(): boolean {
    return this.#key !== undefined;
  }

  /**
   * True when `header` (the request's `Host`) names this server: the bound
   * address, a loopback name, and when bound to every interface any IP
   * address or this machine's name; always with the right port.
   */
  hostAllowed(header: string | null): boolean {
    if (header === null) return false;
    const parsed = splitHost(header);
    if (!parsed) return false;
    if ((parsed.port ?? 80) !== this.#port) return false;
    const { name } = parsed;
    if (name === this.#host || LOOPBACK_NAMES.has(name)) return true;
    if (!this.#wildcard) return false;
    // An IP literal cannot be rebound by a DNS answer; a name can, so only ours passes.
    return IPV4.test(name) || name.startsWith("[") || name === this.#hostname;
  }

  /** True when `origin` (the request's `Origin`, if any) may call the server. */
  originAllowed(origin: string | null): boolean {
    return origin === null || this.#origins.has(origin);
  }

  /** True when `header` (the request's `Authorization`) carries the key, or none is needed. */
  async keyAllowed(header: string | null): Promise<boolean> {
    if (this.#key === undefined) return true;
    const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? "");
    const given = await digest(match?.[1] ?? "");
    return timingSafeEqual(given, await this.#key) && match !== null;
  }

  /**
   * Checks `Host`, `Origin`, then the key; resolves with the refusal, or
   * `undefined` when the request may go on. Preflights (`OPTIONS` with
   * `Access-Control-Request-Method`) skip the key: browsers never send one there.
   */
  async check(req: Request): Promise<Refusal | undefined> {
    const refusal = this.#hostVerdict(req);
    if (refusal) return refusal;
    const origin = req.headers.get("origin");
    if (!this.originAllowed(origin)) {
      return {
        status: 403,
        code: "forbidden_origin",
        message: `Origin '${origin!.slice(0, 100)}' is not allowed (see --allow-origin)`,
      };
    }
    if (this.#key === undefined || isPreflight(req)) return undefined;
    // Anthropic's clients send the key as `x-api-key` (an SDK given both sends both): either will do.
    const auth = req.headers.get("authorization");
    const apiKey = req.headers.get("x-api-key");
    const allowed = await this.keyAllowed(auth) ||
      (apiKey !== null && await this.keyAllowed(`Bearer ${apiKey}`));
    if (!allowed) {
      return {
        status: 401,
        code: "invalid_api_key",
        message: auth !== null || apiKey !== null
          ? "Incorrect API key provided"
          : "Missing API key: send 'Authorization: Bearer KEY' or 'x-api-key: KEY'",
      };
    }
    return undefined;
  }

  /**
   * {@linkcode #hostRefusal}, remembered per `Host` and request target: a client sends the same
   * ones on every request (the memory is bounded; a flood of new ones only empties it).
   */
  #hostVerdict(req: Request): Refusal | undefined {
    const origin = req.url.slice(0, req.url.indexOf("/", req.url.indexOf("//") + 2) >>> 0);
    // No Host at all is not `Host: null`: a character no header holds stands for it.
    const key = `${req.headers.get("host") ?? "\0"}\n${origin}`;
    if (this.#verdicts.has(key)) return this.#verdicts.get(key);
    const verdict = this.#hostRefusal(req);
    if (this.#verdicts.size >= MAX_VERDICTS) this.#verdicts.clear();
    this.#verdicts.set(key, verdict);
    return verdict;
  }

  /**
   * Why `Host` is refused: missing or malformed (400; HTTP/1.1 requires one,
   * and one only), or naming another server, in the header or in an
   * absolute-form request target (403).
   */
  #hostRefusal(req: Request): Refusal | undefined {
    const host = req.headers.get("host");
    if (host === null) {
      return { status: 400, code: "missing_host", message: "The request has no Host header" };
    }
    const parsed = splitHost(host);
    if (!parsed || (parsed.port !== undefined && parsed.port > 65535)) {
      return {
        status: 400,
        code: "invalid_host",
        message: `Host '${host.slice(0, 100)}' is not a host name or address with a port`,
      };
    }
    // The caller's handler already refused a URL that does not parse.
    const target = URL.parse(req.url)?.host ?? "";
    for (const named of [host, target]) {
      if (this.hostAllowed(named)) continue;
      return {
        status: 403,
        code: "forbidden_host",
        message: `Host '${named.slice(0, 100)}' is not this server's address`,
      };
    }
    return undefined;
  }

  /** CORS headers for a request from an allowed `origin`; none for other requests. */
  corsHeaders(origin: string | null): Record<string, string> {
    if (origin === null || !this.#origins.has(origin)) return {};
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Expose-Headers": "Retry-After, X-Request-Id",
      "Vary": "Origin",
    };
  }

  /** Extra headers of a preflight answer (methods, requested headers, max age). */
  preflightHeaders(req: Request): Record<string, string> {
    const origin = req.headers.get("origin");
    if (origin === null || !this.#origins.has(origin)) return {};
    const requested = req.headers.get("access-control-request-headers");
    return {
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Allow-Headers": requested ?? "Authorization, Content-Type",
      "Access-Control-Max-Age": "600",
      "Vary": "Origin, Access-Control-Request-Headers",
    };
  }
}

/** True for a CORS preflight. */
export function isPreflight(req: Request): boolean {
  return req.method === "OPTIONS" && req.headers.has("access-control-request-method");
}

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * Compares two byte arrays in time that depends only on their length (callers
 * pass fixed-length digests, so it never leaks where they differ).
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from "./access.ts";
 * console.assert(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
