/**
 * Copilot's per-request cost as its answers state it: bodies and stream events
 * carry `copilot_usage.total_nano_aiu` (Messages: `message_start` and
 * `message_delta`; Responses: `response.completed`; chat: the chunks; whole
 * answers at the top; 1e9 nano-AIU make one AI credit, docs/copilot-protocol.md).
 * Found in the bytes as they pass, without parsing them into objects: a relay
 * that hands the bytes on unchanged pays one text search per read.
 *
 * @module
 */

import type { Source } from "../base/pull.ts";

/**
 * The field inside a `copilot_usage` object, as JSON writes it (other fields may come first; a
 * `total_nano_aiu` anywhere else, say in a tool's input, is not it).
 */
const FIELD =
  /"copilot_usage"\s*:\s*\{[^{}]*?"total_nano_aiu"\s*:\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
/** Text kept from one read to the next, so a field cut between two reads is still found. */
const TAIL = 256;
/**
 * One decoder for every scan: not streaming, so it keeps no state between calls (a character cut
 * between reads decodes as U+FFFD here, and the field is ASCII).
 */
const decoder = new TextDecoder();
/** Nano-AIU per AI credit. */
export const NANO_AIU_PER_CREDIT = 1e9;

/**
 * Watches an answer's bytes for `total_nano_aiu`; the last value seen wins
 * (a stream states the total so far, its last event the whole).
 *
 * @example
 * ```ts
 * import { UsageScan } from "./usage_scan.ts";
 * const scan = new UsageScan();
 * scan.push(new TextEncoder().encode('data: {"copilot_usage":{"total_nano_'));
 * scan.push(new TextEncoder().encode('aiu":1234}}\n\n'));
 * console.assert(scan.nanoAiu === 1234);
 * ```
 */
export class UsageScan {
  /** The last `total_nano_aiu` seen, or undefined. */
  nanoAiu: number | undefined;
  #tail = "";

  /** Looks at the next bytes of the answer. */
  push(bytes: Uint8Array): void {
    const text = this.#tail + decoder.decode(bytes);
    if (text.includes("total_nano_aiu")) {
      for (const match of text.matchAll(FIELD)) this.nanoAiu = Number(match[1]);
    }
    this.#tail = text.length > TAIL ? text.slice(-TAIL) : text;
  }

  /**
   * `source` with every chunk it yields shown to this scan first (no stream,
   * no extra async step: the read's own promise carries it).
   */
  watch(source: Source<Uint8Array>): Source<Uint8Array> {
    const seen = (result: ReadableStreamReadResult<Uint8Array>) => {
      if (!result.done) this.push(result.value);
      return result;
    };
    const take = source.take?.bind(source);
    return {
      read: () => source.read().then(seen),
      cancel: (reason) => source.cancel(reason),
      ...(take
        ? {
          take: () => {
            const chunk = take();
            if (chunk !== undefined) this.push(chunk);
            return chunk;
          },
        }
        : {}),
    };
  }
}
