/**
 * JSON-RPC framing of the Language Server Protocol: `Content-Length` headers
 * over a byte stream, messages split or joined across reads in any way.
 *
 * Why a small module and not `vscode-languageserver` / `vscode-jsonrpc`:
 * measured under Deno 2.9 on this machine (median of 8 runs of a script that
 * only imports it), `vscode-languageserver@9.0.1/node` with a connection takes
 * 259 ms and 54 MB peak RSS, this module 113 ms and 30 MB, an empty script
 * 92 ms and 29 MB. The issue allows the server 1.3x the start-up of
 * `copilot --version`; the library alone would be ~2.5x. The framing is one
 * header and one length, so the trade is easy. The tests still talk to the
 * server through `vscode-jsonrpc`, a real client library.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEADER_END = [13, 10, 13, 10]; // \r\n\r\n
/** Largest message accepted (a document sent whole on every change can be big). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A framing error: the peer sent something that is not LSP framing. */
export class FramingError extends Error {
  override name = "FramingError";
}

/** Index of `\r\n\r\n` in `bytes` from `from`, or -1. */
function headerEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i + 3 < to; i++) {
    if (
      bytes[i] === HEADER_END[0] && bytes[i + 1] === HEADER_END[1] &&
      bytes[i + 2] === HEADER_END[2] && bytes[i + 3] === HEADER_END[3]
    ) return i;
  }
  return -1;
}

/** The `Content-Length` of a header block; throws {@linkcode FramingError} when absent or bad. */
function contentLength(header: string): number {
  for (const line of header.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== "content-length") continue;
    const value = line.slice(colon + 1).trim();
    const length = Number(value);
    if (!/^\d+$/.test(value) || length > MAX_MESSAGE_BYTES) {
      throw new FramingError(`bad Content-Length '${value}'`);
    }
    return length;
  }
  throw new FramingError("a message without Content-Length");
}

/**
 * Decodes framed messages from `chunks` as they arrive; each yielded value is
 * the body's JSON, or a {@linkcode SyntaxError} when the body is not JSON (the
 * caller answers it with a parse error and goes on).
 *
 * @example
 * ```ts
 * import { frame, readMessages } from "./framing.ts";
 * const bytes = frame({ jsonrpc: "2.0", method: "exit" });
 * const [message] = await Array.fromAsync(readMessages(ReadableStream.from([bytes])));
 * console.assert((message as { method: string }).method === "exit");
 * ```
 */
export async function* readMessages(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<unknown, void, undefined> {
  let buffer = new Uint8Array(0);
  let start = 0; // first unread byte
  let end = 0; // one past the last byte read
  let scanned = 0; // header bytes already searched for \r\n\r\n
  let body = -1; // length of the body being read, -1 while reading a header
  for await (const chunk of chunks) {
    if (end + chunk.length > buffer.length) {
      const size = Math.max(end - start + chunk.length, buffer.length * 2, 4096);
      const grown = size > buffer.length ? new Uint8Array(size) : buffer;
      grown.set(buffer.subarray(start, end));
      buffer = grown;
      end -= start;
      scanned = Math.max(0, scanned - start);
      start = 0;
    }
    buffer.set(chunk, end);
    end += chunk.length;
    for (;;) {
      if (body < 0) {
        const at = headerEnd(buffer, Math.max(start, scanned - 3), end);
        if (at < 0) {
          scanned = end;
          break;
        }
        body = contentLength(decoder.decode(buffer.subarray(start, at)));
        start = at + 4;
      }
      if (end - start < body) break;
      const text = decoder.decode(buffer.subarray(start, start + body));
      start += body;
      scanned = start;
      body = -1;
      try {
        yield JSON.parse(text);
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        yield err;
      }
    }
    if (start === end) start = end = scanned = 0;
  }
}

/** Something bytes can be read from, as `Deno.stdin` is. */
export interface ByteSource {
  /** Reads into `buffer`; resolves with how many bytes, or null at the end. */
  read(buffer: Uint8Array): Promise<number | null>;
}

/**
 * The bytes of `source`, read into one reused buffer: `Deno.stdin.readable`
 * allocates 64 KiB per read, which for a message of a few hundred bytes
 * is garbage that grows the RSS (measured: +10 MB per 1,000 completions).
 * Each chunk is valid until the next one is asked for ({@linkcode readMessages}
 * copies it at once).
 */
export async function* chunksOf(source: ByteSource, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (;;) {
    const read = await source.read(buffer);
    if (read === null) return;
    yield buffer.subarray(0, read);
  }
}

/** One message framed: the header and the UTF-8 JSON body in one buffer. */
export function frame(message: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(message));
  const header = encoder.encode(`Content-Length: ${body.length}\r\n\r\n`);
  const bytes = new Uint8Array(header.length + body.length);
  bytes.set(header);
  bytes.set(body, header.length);
  return bytes;
}

/** Something bytes can be written to, as `Deno.stdout` is. */
export interface ByteSink {
  /** Writes some of `bytes`; resolves with how many. */
  write(bytes: Uint8Array): Promise<number>;
}

/** Sends framed messages in order; {@linkcode MessageWriter.flushed} waits for the queue. */
export interface MessageWriter {
  /** Queues `message`; resolves once it is written (or dropped: the editor went away). */
  send(message: unknown): Promise<void>;
  /** Resolves once everything queued so far is written. */
  flushed(): Promise<void>;
}

/**
 * A writer of framed messages that never interleaves two of them; a failed
 * write (the editor went away) makes later sends no-ops and calls `onClose`.
 */
export function messageWriter(sink: ByteSink, onClose: (err: unknown) => void): MessageWriter {
  let queue = Promise.resolve();
  let closed = false;
  return {
    send(message) {
      const bytes = frame(message);
      queue = queue.then(async () => {
        if (closed) return;
        try {
          for (let written = 0; written < bytes.length;) {
            written += await sink.write(bytes.subarray(written));
          }
        } catch (err) {
          closed = true;
          onClose(err);
        }
      });
      return queue;
    },
    flushed: () => queue,
  };
}
