/**
 * A response body read by hand under an idle timeout, optionally into small
 * buffers of its own (a server holding hundreds of streams open).
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Source } from "../base/pull.ts";
import { watchdog } from "./watchdog.ts";

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
  let buffer = new ArrayBuffer(readBytes ?? 0);
  let waiting = false; // a read is pending: only that time counts as idle
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
    dog.stop();
    cut?.removeEventListener("abort", onCut);
    done?.();
  };
  if (cut?.aborted) onCut();
  else cut?.addEventListener("abort", onCut, { once: true });
  return {
    async read() {
      if (failed !== undefined) throw failed;
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
