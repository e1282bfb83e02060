/**
 * A response body read by hand under an idle timeout, optionally into small
 * buffers of its own (a server holding hundreds of streams open).
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Source } from "../base/pull.ts";
import { watchdog } from "./watchdog.ts";

/** Read buffers of bodies that ended, kept for the next ones (a server reads thousands). */
const spares: ArrayBuffer[] = [];
/** Most buffers kept: what a server's bodies at once need, not what a burst left. */
const MAX_SPARES = 64;

/** A read buffer of `size` bytes: a spare one when one is of that size. */
function spareBuffer(size: number): ArrayBuffer {
  const spare = spares.pop();
  return spare?.byteLength === size ? spare : new ArrayBuffer(size);
}

/**
 * Reads a byte `body` by hand, failing with a {@linkcode CopilotError} when no
 * chunk arrives for `seconds` while one is wanted (the body is then
 * cancelled). With `readBytes`, reads into its own buffer of that size and
 * copies each chunk out, so hundreds of idle streams hold kilobytes each.
 * `done` runs once the body has ended, failed or been cancelled. When `cut`
 * aborts, the body is cancelled and a pending (or later) read rejects with
 * its reason: aborting the `fetch` signal alone does not do that reliably
 * (see `request` in `http.ts`).
 */
export function guardedBody(
  body: ReadableStream<Uint8Array>,
  seconds: number,
  host: string,
  readBytes?: number,
  done?: () => void,
  cut?: AbortSignal,
): Source<Uint8Array> {
  const byob = readBytes ? body.getReader({ mode: "byob" }) : undefined;
  const plain = byob ? undefined : body.getReader();
  const reader = byob ?? plain!;
  let buffer = readBytes ? spareBuffer(readBytes) : new ArrayBuffer(0);
  let waiting = false; // a read is pending: only that time counts as idle
  let ended = false; // over: later reads say done
  let failed: unknown;
  const dog = watchdog(seconds * 1000, () => {
    if (!waiting) return false; // the consumer is slow, not upstream
    failed = new CopilotError(`no data from ${host} for ${seconds} s`, {
      exitCode: ExitCode.Timeout,
    });
    reader.cancel(failed).catch(() => {}); // ends the pending read
  });
  const onCut = () => {
    failed ??= cut!.reason;
    reader.cancel(cut!.reason).catch(() => {}); // ends the pending read, closes the connection
  };
  const over = () => {
    if (ended) return;
    ended = true;
    // Not detached (no read holds it) and of the size: the next body reads into it.
    if (readBytes && buffer.byteLength === readBytes && spares.length < MAX_SPARES) {
      spares.push(buffer);
      buffer = new ArrayBuffer(0);
    }
    dog.stop();
    cut?.removeEventListener("abort", onCut);
    done?.();
  };
  if (cut?.aborted) onCut();
  else cut?.addEventListener("abort", onCut, { once: true });
  return {
    async read() {
      if (failed !== undefined) throw failed;
      if (ended) return { done: true, value: undefined };
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
        if (failed !== undefined) throw failed;
        if (result.done) over();
        return result;
      } catch (err) {
        failed ??= err; // later reads fail alike
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
