/**
 * `fetch` with what every upstream call needs: a timeout until the answer's
 * headers, an idle timeout while reading the body, network errors turned into
 * one-line messages, and `COPILOT_DEBUG` request logs with tokens redacted.
 *
 * @module
 */

import { CopilotError, ExitCode, isAbort } from "../base/errors.ts";
import { redact } from "../base/redact.ts";
import { type Source, toStream } from "../base/pull.ts";
import { DEFAULT_TIMEOUT_S, type NetSettings } from "../base/settings.ts";
import { guardedBody } from "./guarded_body.ts";
import { watchdog } from "./watchdog.ts";

/** Options of {@linkcode send}. */
export interface SendOptions extends Omit<RequestInit, "signal"> {
  /** Aborts the request: Ctrl-C or a client that went away. */
  signal?: AbortSignal;
  /** Timeout, CA file and debug log; default 30 s, system roots, no log. */
  net?: NetSettings;
  /** Seconds to wait for the headers (and between body chunks); default `net.timeout`. */
  timeout?: number;
  /**
   * Read the body into buffers of this many bytes (for a server holding many
   * streams open: Deno's own reads take 64 KiB each). Default: Deno's reads,
   * the fastest for one short-lived stream.
   */
  readBytes?: number;
  /** The transport; default the global `fetch` (tests pass a fake). */
  fetch?: typeof fetch;
}

const NO_SETTINGS: NetSettings = { timeout: DEFAULT_TIMEOUT_S, caFile: undefined, debug: false };

/** Writes one debug line to stderr when `net.debug` is set, tokens redacted. */
function debugLog(net: NetSettings, line: string): void {
  if (net.debug) console.error(`debug: ${redact(line)}`);
}

/** One HTTP client per CA file, made on first use. */
const caClients = new Map<string, Deno.HttpClient>();

/**
 * The HTTP client that trusts `caFile` (a PEM bundle, for corporate
 * TLS-inspecting proxies) on top of the system roots; undefined when unset.
 */
async function httpClient(caFile: string | undefined): Promise<Deno.HttpClient | undefined> {
  if (caFile === undefined) return undefined;
  let client = caClients.get(caFile);
  if (client === undefined) {
    let pem: string;
    try {
      pem = await Deno.readTextFile(caFile);
    } catch (err) {
      throw new CopilotError(`cannot read COPILOT_CA_FILE ${caFile}: ${networkReason(err)}`, {
        exitCode: ExitCode.Usage,
        cause: err,
      });
    }
    client = Deno.createHttpClient({ caCerts: [pem] });
    caClients.set(caFile, client);
  }
  return client;
}

/**
 * The short reason inside a fetch `TypeError` ("connection refused", ...):
 * the innermost cause's last part (Deno says only "fetch failed" on top).
 */
export function networkReason(err: unknown): string {
  let inner = err;
  for (let depth = 0; depth < 8 && inner instanceof Error && inner.cause !== undefined; depth++) {
    inner = inner.cause;
  }
  const message = inner instanceof Error ? inner.message : String(inner);
  const last = (message.split(": ").at(-1) ?? message).replace(/\s*\(os error \d+\)$/, "").trim();
  // "Connection refused" reads as one word of a sentence: "cannot reach host: connection refused".
  return last ? last[0]!.toLowerCase() + last.slice(1) : "network error";
}

/** What {@linkcode request} resolves with. */
export interface Answer {
  /** The answer as fetch gave it: status and headers (its own body is locked). */
  response: Response;
  /** Its body under the idle timeout, read by hand, or null when it has none. */
  body: Source<Uint8Array> | null;
}

/**
 * Sends a request. Resolves with the answer whatever its status, its body
 * under an idle timeout (no chunk for `timeout` seconds errors it); rejects
 * with a {@linkcode CopilotError} for a network failure or a timeout, and with
 * the caller's abort reason when `signal` aborts. {@linkcode send} is the same
 * as one `Response`.
 *
 * @example
 * ```ts ignore
 * import { request } from "./http.ts";
 * const { response, body } = await request("https://api.github.com/user");
 * ```
 */
export async function request(url: string, options: SendOptions = {}): Promise<Answer> {
  const { net = NO_SETTINGS, signal, readBytes, fetch: transport = fetch, ...rest } = options;
  const { timeout = net.timeout, ...init } = rest;
  // One controller aborts the fetch: for the caller's signal (a listener, removed once the answer
  // is over, so a long-lived signal keeps nothing; cheaper than AbortSignal.any, whose dependents
  // Deno tracks with weak references) or when the headers take too long (the body gets an idle
  // timeout below).
  const abort = new AbortController();
  const forward = () => abort.abort(signal!.reason);
  const release = () => signal?.removeEventListener("abort", forward);
  if (signal?.aborted) abort.abort(signal.reason);
  else signal?.addEventListener("abort", forward, { once: true });
  let timedOut = false;
  const started = performance.now();
  const method = init.method ?? "GET";
  const host = new URL(url).host;
  const client = net.caFile === undefined ? undefined : await httpClient(net.caFile);
  const answer = transport(url, { ...init, ...(client ? { client } : {}), signal: abort.signal });
  const headers = watchdog(timeout * 1000, () => {
    timedOut = true;
    abort.abort(new DOMException("timed out", "TimeoutError"));
  });
  try {
    const res = await answer;
    debugLog(net, `${method} ${url} ${res.status} ${Math.round(performance.now() - started)}ms`);
    if (!res.body) release();
    return {
      response: res,
      // The body is cut by our own controller: Deno's fetch follows `abort.signal` through a
      // dependent signal it holds weakly, so once garbage-collected (the `Response` gone), an
      // abort no longer reached the body, and the upstream stream went on (Deno 2.9).
      body: res.body && guardedBody(res.body, timeout, host, readBytes, release, abort.signal),
    };
  } catch (err) {
    release();
    debugLog(net, `${method} ${url} failed ${Math.round(performance.now() - started)}ms`);
    if (signal?.aborted) throw signal.reason;
    if (timedOut) {
      throw new CopilotError(`no answer from ${host} within ${timeout} s`, {
        exitCode: ExitCode.Timeout,
        cause: err,
      });
    }
    if (isAbort(err)) throw err;
    throw new CopilotError(`cannot reach ${host}: ${networkReason(err)}`, { cause: err });
  } finally {
    headers.stop();
  }
}

/**
 * {@linkcode request} as one `Response`, its body under the idle timeout.
 *
 * @example
 * ```ts ignore
 * import { send } from "./http.ts";
 * const res = await send("https://api.github.com/user", { headers: { Accept: "application/json" } });
 * ```
 */
export async function send(url: string, options: SendOptions = {}): Promise<Response> {
  const { response, body } = await request(url, options);
  return body ? new Response(toStream(body), response) : response;
}

/** Reads `Retry-After` (seconds or an HTTP date) as seconds from now. */
export function retryAfterSeconds(res: Response, now: number = Date.now()): number | undefined {
  const value = res.headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * The human part of an error body: JSON `error.message`, `message`,
 * `error_details.message`, or the text itself, cut to one line.
 */
export async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  let message = text;
  try {
    const json = JSON.parse(text);
    message = json?.error_details?.message ?? json?.error?.message ??
      (typeof json?.error === "string" ? json.error : undefined) ?? json?.message ?? text;
  } catch {
    // Plain text body.
  }
  const line = redact(String(message)).replace(/\s+/g, " ").trim();
  return line.length > 300
    ? `${line.slice(0, 300)}…`
    : line || res.statusText || `HTTP ${res.status}`;
}
