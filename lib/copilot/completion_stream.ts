/**
 * Turns Copilot's completion SSE into text pieces per choice, as they arrive.
 *
 * @module
 */

import { CopilotError } from "../base/errors.ts";
import { redact } from "../base/redact.ts";
import { relay, type RelayHooks } from "../base/pull.ts";
import type { SseItem } from "./sse.ts";

/** One piece of one choice's text. */
export interface CompletionChunk {
  /** Which choice (`n` > 1 interleaves them). */
  index: number;
  /** The new text; may be empty. */
  text: string;
  /** `stop`, `length`, `content_filter`... on the choice's last chunk, else null. */
  finishReason: string | null;
}

interface RawChoice {
  index?: number;
  text?: string | null;
  delta?: { content?: string | null } | null;
  finish_reason?: string | null;
}

function upstreamError(error: unknown): CopilotError {
  const message = typeof error === "object" && error !== null && "message" in error
    ? String((error as { message: unknown }).message)
    : JSON.stringify(error);
  return new CopilotError(`Copilot reported an error: ${redact(message)}`);
}

/**
 * Maps parsed SSE to {@linkcode CompletionChunk}s. Errors with a
 * {@linkcode CopilotError} on an error event, a trailing JSON error, or a
 * stream that ends before `[DONE]` while a choice is unfinished
 * ("completion cut off").
 *
 * @example
 * ```ts
 * import { completionChunks } from "./completion_stream.ts";
 * const items = ReadableStream.from([{ data: '{"choices":[{"text":"x","index":0}]}' }, { data: "[DONE]" }]);
 * console.assert((await Array.fromAsync(completionChunks(items)))[0]?.text === "x");
 * ```
 */
export function completionChunks(items: ReadableStream<SseItem>): ReadableStream<CompletionChunk> {
  return relay(items, completionDecoder());
}

/** The step of {@linkcode completionChunks}, to {@linkcode chain} after the SSE parser. */
export function completionDecoder(): RelayHooks<SseItem, CompletionChunk> {
  let done = false;
  const open = new Set<number>();
  const finished = new Set<number>();
  return {
    map(item, controller) {
      if (done) return;
      if ("other" in item) {
        // Not SSE: a bare JSON error after the events is reported, anything else skipped.
        let json: { error?: unknown } | undefined;
        try {
          json = JSON.parse(item.other);
        } catch {
          return;
        }
        if (json?.error) throw upstreamError(json.error);
        return;
      }
      if (item.data.trim() === "[DONE]") {
        done = true;
        return;
      }
      let json: { choices?: RawChoice[] | null; error?: unknown };
      try {
        json = JSON.parse(item.data);
      } catch {
        return; // A malformed event is skipped, as official clients do.
      }
      if (json?.error) throw upstreamError(json.error);
      for (const choice of json?.choices ?? []) {
        const index = typeof choice.index === "number" ? choice.index : 0;
        const text = choice.text ?? choice.delta?.content ?? "";
        const finishReason = choice.finish_reason ?? null;
        if (finishReason) finished.add(index);
        else open.add(index);
        controller.enqueue({ index, text, finishReason });
      }
    },
    end(controller) {
      const unfinished = [...open].some((index) => !finished.has(index)) || open.size === 0 &&
          finished.size === 0;
      if (!done && unfinished) controller.error(new CopilotError("completion cut off"));
      else controller.close();
    },
  };
}
