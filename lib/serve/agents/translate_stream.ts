/**
 * Wires the incremental translators into the project's pull-stream toolkit: an upstream
 * Copilot SSE body goes in, the client's SSE bytes come out, one upstream read per downstream
 * read and one write per read (`[DONE]` finishes, an error event or a broken body fails the
 * translation with the client API's error event).
 *
 * @module
 */

import { chain, mapSource, type RelayHooks, toStream } from "../../base/pull.ts";
import { sseDecoder, type SseItem } from "../../copilot/sse.ts";
import type { ChatChunk, ChatDelta } from "./chat_types.ts";
import { isObject } from "./json.ts";

/** An incremental chat-chunk translator (Anthropic's or the Responses one). */
export interface ChunkTranslator {
  /** Events for one chunk. */
  push(chunk: ChatChunk): string[];
  /** Closing events at `[DONE]` or the end of the body. */
  finish(): string[];
  /** An error event that ends the stream. */
  fail(message: string): string[];
}

/**
 * The chunk loop the chat translators share: the usage and the last finish reason kept, each
 * choice's delta handed to {@linkcode delta}, after {@linkcode begin} has opened the stream.
 */
export abstract class ChunkReader {
  /** Whether the stream has ended (nothing more is emitted). */
  protected finished = false;
  /** The last finish reason a choice gave. */
  protected finishReason: string | undefined;
  /** The last usage a chunk gave. */
  protected usage: ChatChunk["usage"];

  /** The events for one parsed chat chunk. */
  push(chunk: ChatChunk): string[] {
    if (this.finished) return [];
    const out: string[] = [];
    if (chunk.usage) this.usage = chunk.usage;
    this.begin(out, chunk);
    for (const choice of chunk.choices ?? []) {
      if (choice.delta) this.delta(out, choice.index ?? 0, choice.delta);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return out;
  }

  /** Opens the stream on the first chunk (a no-op after). */
  protected abstract begin(out: string[], chunk: ChatChunk): void;
  /** The events for one choice's delta. */
  protected abstract delta(out: string[], choice: number, delta: ChatDelta): void;
}

/** An event-by-event fixer of a native stream (the Responses pass-through's). */
export interface EventFixer {
  /** Text to forward for one upstream event. */
  push(event: { event?: string; data: string }): string[];
  /** Text to send when the upstream body ends. */
  finish(): string[];
}

function emit(out: { enqueue(text: string): void }, texts: string[]): void {
  for (const text of texts) out.enqueue(text);
}

/** The message of an `{"error": {...}}` payload or line, if it is one. */
function errorMessage(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed) || !("error" in parsed)) return undefined;
    const error = parsed.error;
    return isObject(error) && typeof error.message === "string" ? error.message : String(error);
  } catch {
    return undefined;
  }
}

/** Hooks translating parsed chat SSE items with `translator`. */
export function translatorHooks(translator: ChunkTranslator): RelayHooks<SseItem, string> {
  return {
    map(item, out) {
      if ("other" in item) {
        const message = errorMessage(item.other);
        if (message !== undefined) emit(out, translator.fail(`Copilot: ${message}`));
        return;
      }
      if (item.data === "[DONE]") return emit(out, translator.finish());
      const message = errorMessage(item.data);
      if (message !== undefined) return emit(out, translator.fail(`Copilot: ${message}`));
      emit(out, translator.push(JSON.parse(item.data) as ChatChunk));
    },
    end(out) {
      emit(out, translator.finish());
      out.close();
    },
    fail(error, out) {
      const reason = error instanceof Error ? error.message : String(error);
      emit(out, translator.fail(`Copilot's stream broke off: ${reason}`));
      out.close();
    },
  };
}

/** Hooks passing native SSE items through `fixer`. */
export function fixerHooks(fixer: EventFixer): RelayHooks<SseItem, string> {
  return {
    map(item, out) {
      if ("data" in item) emit(out, fixer.push(item));
    },
    end(out) {
      emit(out, fixer.finish());
      out.close();
    },
    fail(_error, out) {
      emit(out, fixer.finish());
      out.close();
    },
  };
}

/** The client's SSE bytes for an upstream SSE `body`, through `hooks`. */
export function sseThrough(
  body: ReadableStream<Uint8Array>,
  hooks: RelayHooks<SseItem, string>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const source = mapSource(body.getReader(), chain(sseDecoder(), hooks));
  return toStream(source, (texts) => encoder.encode(texts.join("")));
}
