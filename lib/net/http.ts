/**
 * `fetch` with what every upstream call needs: a timeout until the answer's
 * headers, an idle timeout while reading the body, network errors turned into
 * one-line messages, and `COPILOT_DEBUG` request logs with tokens redacted.
 *
 * @module
 */

import { debugEnabled, env } from "../base/config.ts";
import { CopilotError, ExitCode, isAbort } from "../base/errors.ts";
import { redact } from "../base/redact.ts";
import { type Source, toStream } from "../base/pull.ts";

/** Default seconds to wait for an answer's headers, or between two body chunks. */
export const DEFAULT_TIMEOUT_S = 30;

/** Options of {@linkcode send}. */
export interface SendOptions extends Omit<RequestInit, "signal"> {
  /** Aborts the request: Ctrl-C or a client that went away. */
  signal?: AbortSignal;
  /** Seconds to wait for the headers; default `COPILOT_TIMEOUT` or 30. */
  timeout?: number;
  /**
   * Read the body into buffers of this many bytes (for a server holding many
   * streams open: Deno's own reads take 64 KiB each). Default: Deno's reads,
   * the fastest for one short-lived stream.
   */
  readBytes?: number;
}

/** Seconds of the default timeout (`COPILOT_TIMEOUT` overrides). */
export function defaultTimeout(): number {
  const value = Number(env("COPILOT_TIMEOUT"));
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_S;
}

/** Writes one debug line to stderr when `COPILOT_DEBUG` is set, tokens redacted. */
export function debugLog(line: string): void {
  if (debugEnabled()) console.error(`debug: ${redact(line)}`);
}

let caClient: Deno.HttpClient | undefined;
let caFile: string | undefined;

/**
 * The HTTP client that trusts `COPILOT_CA_FILE` (a PEM bundle, for corporate
 * TLS-inspecting proxies) on top of the system roots; undefined when unset.
 */
async function httpClient(): Promise<Deno.HttpClient | undefined> {
  // Asked on every request: the variable is read once per process.
  caFile ??= env("COPILOT_CA_FILE") ?? "";
  const file = caFile;
  if (file === "") return undefined;
  if (caClient === undefined) {
    let pem: string;
    try {
      pem = await Deno.readTextFile(file);
    } catch (err) {
      throw new CopilotError(`cannot read COPILOT_CA_FILE ${file}: ${networkReason(err)}`, {
        exitCode: ExitCode.Usage,
        cause: err,
      });
    }
    caClient = Deno.createHttpClient({ caCerts: [pem] });
  }
  return caClient;
}

/** The short reason inside a fetch `TypeError` ("Connection refused", ...). */
function networkReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const last = message.split(": ").at(-1) ?? message;
  return last.replace(/\s*\(os error \d+\)$/, "").trim() || "network error";
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
  const { timeout = defaultTimeout(), signal, readBytes, ...init } = options;
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
  const client = await httpClient();
  const answer = fetch(url, { ...init, ...(client ? { client } : {}), signal: abort.signal });
  const headers = watchdog(timeout * 1000, () => {
    timedOut = true;
    abort.abort(new DOMException("timed out", "TimeoutError"));
  });
  try {
    const res = await answer;
    debugLog(`${method} ${url} ${res.status} ${Math.round(performance.now() - started)}ms`);
    if (!res.body) release();
    return {
      response: res,
      body: res.body && guardedBody(res.body, timeout, host, readBytes, release),
    };
  } catch (err) {
    release();
    debugLog(`${method} ${url} failed ${Math.round(performance.now() - started)}ms`);
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

/** A timer that fires once nothing has happened for a while. */
export interface Watchdog {
  /** Something happened: the wait starts again. */
  kick(): void;
  /** Nothing to watch any more (idempotent). */
  stop(): void;
}

/**
 * Calls `expire` once `ms` pass without a {@linkcode Watchdog.kick}; when it
 * returns `false`, the wait starts again. Built on `AbortSignal.timeout`, one
 * pending timer at a time however often it is kicked: the first `setTimeout`
 * of a process makes Deno load its Node timers, milliseconds that every
 * `copilot complete` would pay before its request.
 */
export function watchdog(ms: number, expire: () => boolean | void): Watchdog {
  const dog: Dog = { last: performance.now(), ms, expire };
  dogs.add(dog);
  wake(dog.last + ms);
  return {
    kick: () => void (dog.last = performance.now()),
    stop: () => void dogs.delete(dog),
  };
}

interface Dog {
  last: number;
  ms: number;
  expire: () => boolean | void;
}

/**
 * Every running watchdog; one shared timer serves them all. A stopped one keeps
 * nothing alive; the one pending wake-up may keep an event loop alive until it
 * fires (the CLI exits explicitly, so it never waits for it).
 */
const dogs = new Set<Dog>();
/** When the pending timer fires (performance.now() time), or Infinity when none is pending. */
let wakeAt = Infinity;

/** Makes sure the shared timer fires by `at`. */
function wake(at: number): void {
  if (at >= wakeAt) return;
  wakeAt = at;
  const timer = AbortSignal.timeout(Math.max(1, Math.ceil(at - performance.now())));
  timer.addEventListener("abort", () => {
    if (wakeAt !== at) return; // an earlier wake-up replaced this one
    wakeAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const dog of dogs) {
      if (now - dog.last < dog.ms) next = Math.min(next, dog.last + dog.ms);
      else if (dog.expire() === false) {
        dog.last = now;
        next = Math.min(next, now + dog.ms);
      } else dogs.delete(dog);
    }
    if (next < Infinity) wake(next);
  }, { once: true });
}

/**
 * Reads a byte `body` by hand, failing with a {@linkcode CopilotError} when no
 * chunk arrives for `seconds` while one is wanted (the body is then
 * cancelled). With `readBytes`, reads into its own buffer of that size and
 * copies each chunk out, so hundreds of idle streams hold kilobytes each.
 * `done` runs once the body has ended, failed or been cancelled.
 */
export function guardedBody(
  body: ReadableStream<Uint8Array>,
  seconds: number,
  host: string,
  readBytes?: number,
  done?: () => void,
): Source<Uint8Array> {
  const byob = readBytes ? body.getReader({ mode: "byob" }) : undefined;
  const plain = byob ? undefined : body.getReader();
  const reader = byob ?? plain!;
  let buffer = new ArrayBuffer(readBytes ?? 0);
  let waiting = false; // a read is pending: only that time counts as idle
  let failed: CopilotError | undefined;
  const dog = watchdog(seconds * 1000, () => {
    if (!waiting) return false; // the consumer is slow, not upstream
    failed = new CopilotError(`no data from ${host} for ${seconds} s`, {
      exitCode: ExitCode.Timeout,
    });
    reader.cancel(failed).catch(() => {}); // ends the pending read
  });
  const over = () => {
    dog.stop();
    done?.();
  };
  return {
    async read() {
      if (failed) throw failed;
      waiting = true;
      dog.kick();
      try {
        let result: ReadableStreamReadResult<Uint8Array>;
        if (plain) result = await plain.read();
        else {
          const read = await byob!.read(new Uint8Array(buffer));
          if (read.value) buffer = read.value.buffer as ArrayBuffer;
          result = read.done || !read.value
            ? { done: true, value: undefined }
            : { done: false, value: read.value.slice() };
        }
        if (failed) throw failed;
        if (result.done) over();
        return result;
      } catch (err) {
        over();
        throw err;
      } finally {
        waiting = false;
      }
    },
    cancel(reason) {
      over();
      return reader.cancel(reason);
    },
  };
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
