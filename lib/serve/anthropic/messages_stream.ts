/**
 * Chat stream chunks → Anthropic's SSE event sequence, one chunk at a time: `message_start`,
 * `ping`, then content blocks (`thinking` with `signature_delta`, `text`, `tool_use` with
 * `input_json_delta`), `message_delta` with the stop reason and usage, `message_stop`. A stream
 * that ends before any `finish_reason` ends with an `error` event instead.
 *
 * Choices are merged (Copilot puts Claude's tool calls in `choices[1]`). Anthropic blocks
 * cannot interleave: fragments of a tool call whose block was already closed (by another
 * block) are dropped. OpenAI-style streams send calls one after another, so this does not occur.
 *
 * @module
 */

import type { ChatChunk, ChatDelta, ChatToolCallDelta } from "../agents/chat_types.ts";
import { sseEvent } from "../agents/sse_event.ts";
import { ChunkReader } from "../agents/translate_stream.ts";
import { errorEvent } from "./anthropic_errors.ts";
import { messageId, stopReasonOf, usageOf } from "./chat_to_message.ts";

type OpenBlock =
  | { kind: "text"; index: number }
  | { kind: "thinking"; index: number; signed: boolean }
  | { kind: "tool"; index: number; key: string; id: string };
type ThinkingOpen = Extract<OpenBlock, { kind: "thinking" }>;
type NewBlock = OpenBlock extends infer B ? B extends OpenBlock ? Omit<B, "index"> : never : never;

/**
 * Turns chat chunks into Anthropic SSE event strings. Call {@linkcode push} per chunk and
 * {@linkcode finish} once at `[DONE]` or the end of the body.
 */
export class AnthropicStreamTranslator extends ChunkReader {
  readonly #model: string;
  #started = false;
  #next = 0;
  #open: OpenBlock | undefined;
  #sawTool = false;
  /** Tool call (`choice:index`) → its id, so a new id under the same index starts a new call. */
  readonly #callIds = new Map<string, string>();

  /** Translator for an answer named `model` (the name the client asked for). */
  constructor(model: string) {
    super();
    this.#model = model;
  }

  /** Opens the message on the first chunk. */
  protected begin(out: string[], chunk: ChatChunk): void {
    if (!this.#started) this.#start(out, chunk);
  }

  /** The closing events: `message_delta` + `message_stop`, or `error` if no choice finished. */
  finish(): string[] {
    if (this.finished) return [];
    this.finished = true;
    const out: string[] = [];
    if (this.finishReason === undefined) {
      out.push(errorEvent("api_error", "Copilot's stream ended before the answer was complete"));
      return out;
    }
    if (!this.#started) this.#start(out, {});
    this.#close(out);
    const usage = usageOf(this.usage);
    out.push(sseEvent("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReasonOf(this.finishReason, this.#sawTool), stop_sequence: null },
      usage,
    }));
    out.push(sseEvent("message_stop", { type: "message_stop" }));
    return out;
  }

  /** An `error` event that ends the stream (e.g. the upstream body failed). */
  fail(message: string): string[] {
    if (this.finished) return [];
    this.finished = true;
    return [errorEvent("api_error", message)];
  }

  #start(out: string[], chunk: ChatChunk): void {
    this.#started = true;
    const usage = usageOf(chunk.usage);
    out.push(sseEvent("message_start", {
      type: "message_start",
      message: {
        id: messageId(),
        type: "message",
        role: "assistant",
        model: this.#model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 0 },
      },
    }));
    out.push(sseEvent("ping", { type: "ping" }));
  }

  protected delta(out: string[], choice: number, delta: ChatDelta): void {
    if (delta.reasoning_text) this.#thinking(out, delta.reasoning_text);
    if (delta.reasoning_opaque) this.#signature(out, delta.reasoning_opaque);
    if (delta.content) this.#text(out, delta.content);
    for (const call of delta.tool_calls ?? []) this.#tool(out, choice, call);
  }

  #thinking(out: string[], text: string): void {
    const block = this.#open?.kind === "thinking" && !this.#open.signed
      ? this.#open
      : this.#begin(out, THINKING, { type: "thinking", thinking: "" }) as ThinkingOpen;
    out.push(blockDelta(block.index, { type: "thinking_delta", thinking: text }));
  }

  #signature(out: string[], signature: string): void {
    const block = this.#open?.kind === "thinking" && !this.#open.signed
      ? this.#open
      : this.#begin(out, THINKING, { type: "thinking", thinking: "" }) as ThinkingOpen;
    block.signed = true;
    out.push(blockDelta(block.index, { type: "signature_delta", signature }));
  }

  #text(out: string[], text: string): void {
    const block = this.#open?.kind === "text"
      ? this.#open
      : this.#begin(out, { kind: "text" }, { type: "text", text: "" });
    out.push(blockDelta(block.index, { type: "text_delta", text }));
  }

  #tool(out: string[], choice: number, call: ChatToolCallDelta): void {
    const key = `${choice}:${call.index ?? 0}`;
    const known = this.#callIds.get(key);
    const isNew = call.id !== undefined && call.id !== known;
    let block = this.#open?.kind === "tool" && this.#open.key === key ? this.#open : undefined;
    if (block === undefined && !isNew) return; // a call never announced, or already closed
    if (isNew) {
      const id = call.id!;
      this.#callIds.set(key, id);
      this.#sawTool = true;
      block = this.#begin(out, { kind: "tool", key, id }, {
        type: "tool_use",
        id,
        name: call.function?.name ?? "",
        input: {},
      }) as Extract<OpenBlock, { kind: "tool" }>;
    }
    const partial = call.function?.arguments;
    if (partial) {
      out.push(blockDelta(block!.index, { type: "input_json_delta", partial_json: partial }));
    }
  }

  #begin(out: string[], block: NewBlock, contentBlock: Record<string, unknown>): OpenBlock {
    this.#close(out);
    const opened = { ...block, index: this.#next++ } as OpenBlock;
    this.#open = opened;
    out.push(sseEvent("content_block_start", {
      type: "content_block_start",
      index: opened.index,
      content_block: contentBlock,
    }));
    return opened;
  }

  #close(out: string[]): void {
    if (this.#open === undefined) return;
    out.push(
      sseEvent("content_block_stop", { type: "content_block_stop", index: this.#open.index }),
    );
    this.#open = undefined;
  }
}

const THINKING: NewBlock = { kind: "thinking", signed: false };

function blockDelta(index: number, delta: Record<string, unknown>): string {
  return sseEvent("content_block_delta", { type: "content_block_delta", index, delta });
}
