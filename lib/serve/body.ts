/**
 * Reading a request body of `copilot serve`: within its size limit and its
 * deadline, in memory bounded by what was received.
 *
 * Each chunk a request body stream hands out is a view on its own 64 KiB
 * buffer, so keeping chunks (20,000 one-byte chunks: over 1 GB) costs far
 * more than the body. Hence: a declared `Content-Length` within the limit is
 * gathered by the runtime (`arrayBuffer()`); a chunked body is copied into one
 * buffer (a BYOB reader when the stream is a byte stream), refused (413) as
 * soon as it passes the limit; either is refused (408) at the deadline.
 *
 * @module
 */

import { ApiError } from "./api_error.ts";
import { watchdog } from "../net/watchdog.ts";

/** Largest request body accepted: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Default time for a whole body to arrive: 30 s. */
export const BODY_TIMEOUT_MS = 30_000;

/**
 * Slack past the limit in the BYOB buffer: a BYOB read into a view of only a
 * few bytes stalled at the end of the body (Deno 2.9), so the view offered is
 * never smaller than one 64 KiB body chunk while within the limit.
 */
const SLACK = 64 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The error of a client that left while sending its body (answered 499, logged as such). */
export const CLIENT_LEFT = 499;

function tooLarge(limit: number): ApiError {
  return new ApiError(413, "body_too_large", `The body exceeds ${limit} bytes`);
}

/**
 * Rejects with a 408 after `ms` unless `work` settles first; `onTimeout` stops the work. The
 * deadline is a watchdog on the shared timer (net/watchdog.ts): no timer of its own per request.
 */
async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let expire = (_: unknown) => {};
  const deadline = new Promise<never>((_, reject) => expire = reject);
  const dog = watchdog(ms, () => {
    onTimeout();
    expire(new ApiError(408, "body_timeout", `The body did not arrive within ${ms / 1000} s`));
  });
  work.catch(() => {}); // when the deadline wins, the late rejection must not go unhandled
  try {
    return await Promise.race([work, deadline]);
  } finally {
    dog.stop();
  }
}

/** A failed read of the body: the client's doing (it left), unless it is already an answer. */
function readFailure(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  return new ApiError(CLIENT_LEFT, "client_left", "The client left while sending its body", {
    cause: err,
  });
}

/** Copies `body` into one buffer of at most `limit` bytes; `stop` is set to cancel the read. */
async function copyStream(
  body: ReadableStream<Uint8Array>,
  limit: number,
  stop: { cancel: () => void },
): Promise<Uint8Array> {
  let buffer = new ArrayBuffer(limit + SLACK);
  let size = 0;
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: the default reader, copying each chunk at once.
  }
  const reader = byob ?? body.getReader();
  stop.cancel = () => void reader.cancel().catch(() => {});
  try {
    for (;;) {
      if (size > limit) throw tooLarge(limit);
      if (byob) {
        const view = new Uint8Array(buffer, size, buffer.byteLength - size);
        const { done, value } = await byob.read(view);
        if (value) {
          buffer = value.buffer as ArrayBuffer;
          size += value.byteLength;
        }
        if (done) break;
      } else {
        const { done, value } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
        if (done) break;
        if (size + value.byteLength > limit) throw tooLarge(limit);
        new Uint8Array(buffer).set(value, size);
        size += value.byteLength;
      }
    }
  } catch (err) {
    stop.cancel();
    throw readFailure(err);
  }
  if (size > limit) throw tooLarge(limit);
  return new Uint8Array(buffer, 0, size);
}

/** The body's bytes: at most `limit`, within `timeoutMs`, else an {@linkcode ApiError}. */
export async function readBytes(
  req: Request,
  limit = MAX_BODY_BYTES,
  timeoutMs = BODY_TIMEOUT_MS,
): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    await req.body?.cancel().catch(() => {});
    throw tooLarge(limit);
  }
  if (!req.body) return new Uint8Array(0);
  if (declared !== null && /^\d{1,15}$/.test(declared)) {
    const gathered = req.arrayBuffer().then((bytes) => new Uint8Array(bytes), (err) => {
      throw readFailure(err);
    });
    const bytes = await withDeadline(gathered, timeoutMs, () => {
      req.body?.cancel().catch(() => {});
    });
    if (bytes.byteLength > limit) throw tooLarge(limit);
    return bytes;
  }
  const stop = { cancel: () => {} };
  return await withDeadline(copyStream(req.body, limit, stop), timeoutMs, () => stop.cancel());
}

/**
 * Reads the body as UTF-8 text, refusing (413) more than `limit` bytes without
 * buffering them, (408) a body still arriving after `timeoutMs`, and (400)
 * bytes that are not UTF-8.
 *
 * @example
 * ```ts
 * import { readBody } from "./body.ts";
 * const text = await readBody(new Request("http://x/", { method: "POST", body: "{}" }), 10);
 * console.assert(text === "{}");
 * ```
 */
export async function readBody(
  req: Request,
  limit = MAX_BODY_BYTES,
  timeoutMs = BODY_TIMEOUT_MS,
): Promise<string> {
  const bytes = await readBytes(req, limit, timeoutMs);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid UTF-8");
  }
}
