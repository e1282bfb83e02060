/**
 * Chat stream chunks → the Responses SSE event sequence, one chunk at a time:
 * `response.created`, `response.in_progress`, then per output item `output_item.added`, its
 * part/deltas/done events (`reasoning_summary_*`, `content_part.*` + `output_text.*`,
 * `function_call_arguments.*`), `output_item.done`, and finally `response.completed` (or
 * `response.incomplete`). A stream cut before any `finish_reason` ends with an `error` event.
 * Choices are merged; items are emitted one after another, never interleaved.
 *
 * @module
 */

import type { ChatDelta, ChatToolCallDelta } from "../agents/chat_types.ts";
import { sseEvent } from "../agents/sse_event.ts";
import { ChunkReader } from "../agents/translate_stream.ts";
import { itemId, responseShell, statusOf, usageOf } from "./chat_to_response.ts";
import type {
  FunctionCallItem,
  MessageItem,
  OutputItem,
  ReasoningItem,
  ResponseObject,
  ResponsesRequest,
} from "./types.ts";

type Open =
  | { kind: "reasoning"; index: number; item: ReasoningItem; text: string }
  | { kind: "message"; index: number; item: MessageItem; text: string }
  | { kind: "call"; index: number; item: FunctionCallItem; key: string };
type OpenOf<K extends Open["kind"]> = Extract<Open, { kind: K }>;

/** Turns chat chunks into Responses SSE event strings; {@linkcode finish} once at the end. */
export class ResponsesStreamTranslator extends ChunkReader {
  readonly #response: ResponseObject;
  readonly #output: OutputItem[] = [];
  readonly #callIds = new Map<string, string>();
  #sequence = 0;
  #started = false;
  #open: Open | undefined;

  /** Translator for an answer to `request` (its `model` is echoed). */
  constructor(request: ResponsesRequest) {
    super();
    this.#response = responseShell(itemId("resp"), request, "in_progress");
  }

  /** Opens the response on the first chunk. */
  protected begin(out: string[]): void {
    this.#start(out);
  }

  /** The closing events, or an `error` event when no choice finished. */
  finish(): string[] {
    if (this.finished) return [];
    if (this.finishReason === undefined) {
      return this.fail("Copilot's stream ended before the answer was complete");
    }
    this.finished = true;
    const out: string[] = [];
    this.#start(out);
    this.#close(out);
    const sawCall = this.#output.some((item) => item.type === "function_call");
    const { status, incomplete_details } = statusOf(sawCall ? "tool_calls" : this.finishReason);
    const response = {
      ...this.#response,
      status,
      incomplete_details,
      output: this.#output,
      usage: usageOf(this.usage),
    };
    const type = status === "completed" ? "response.completed" : "response.incomplete";
    out.push(this.#event(type, { response }));
    return out;
  }

  /** An `error` event that ends the stream (e.g. the upstream body failed). */
  fail(message: string): string[] {
    if (this.finished) return [];
    this.finished = true;
    return [this.#event("error", { code: "stream_incomplete", message, param: null })];
  }

  #event(type: string, fields: Record<string, unknown>): string {
    return sseEvent(type, { type, sequence_number: this.#sequence++, ...fields });
  }

  #start(out: string[]): void {
    if (this.#started) return;
    this.#started = true;
    out.push(this.#event("response.created", { response: this.#response }));
    out.push(this.#event("response.in_progress", { response: this.#response }));
  }

  protected delta(out: string[], choice: number, delta: ChatDelta): void {
    if (delta.reasoning_text || delta.reasoning_opaque) {
      const open = this.#open?.kind === "reasoning" ? this.#open : this.#openReasoning(out);
      if (delta.reasoning_text) {
        open.text += delta.reasoning_text;
        out.push(this.#event("response.reasoning_summary_text.delta", {
          item_id: open.item.id,
          output_index: open.index,
          summary_index: 0,
          delta: delta.reasoning_text,
        }));
      }
      if (delta.reasoning_opaque) open.item.encrypted_content = delta.reasoning_opaque;
    }
    if (delta.content) {
      const open = this.#open?.kind === "message" ? this.#open : this.#openMessage(out);
      open.text += delta.content;
      out.push(this.#event("response.output_text.delta", {
        item_id: open.item.id,
        output_index: open.index,
        content_index: 0,
        delta: delta.content,
        logprobs: [],
      }));
    }
    for (const call of delta.tool_calls ?? []) this.#call(out, choice, call);
  }

  #openReasoning(out: string[]): OpenOf<"reasoning"> {
    const item: ReasoningItem = { type: "reasoning", id: itemId("rs"), summary: [] };
    const open = this.#begin<OpenOf<"reasoning">>(out, { kind: "reasoning", item, text: "" });
    out.push(this.#event("response.reasoning_summary_part.added", {
      item_id: item.id,
      output_index: open.index,
      summary_index: 0,
      part: { type: "summary_text", text: "" },
    }));
    return open;
  }

  #openMessage(out: string[]): OpenOf<"message"> {
    const item: MessageItem = {
      type: "message",
      id: itemId("msg"),
      role: "assistant",
      status: "in_progress",
      content: [],
    };
    const open = this.#begin<OpenOf<"message">>(out, { kind: "message", item, text: "" });
    out.push(this.#event("response.content_part.added", {
      item_id: item.id,
      output_index: open.index,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    }));
    return open;
  }

  #call(out: string[], choice: number, call: ChatToolCallDelta): void {
    const key = `${choice}:${call.index ?? 0}`;
    const isNew = call.id !== undefined && call.id !== this.#callIds.get(key);
    let open = this.#open?.kind === "call" && this.#open.key === key ? this.#open : undefined;
    if (open === undefined && !isNew) return; // a call never announced, or already closed
    if (isNew) {
      this.#callIds.set(key, call.id!);
      const item: FunctionCallItem = {
        type: "function_call",
        id: itemId("fc"),
        call_id: call.id!,
        name: call.function?.name ?? "",
        arguments: "",
        status: "in_progress",
      };
      open = this.#begin<OpenOf<"call">>(out, { kind: "call", item, key });
    }
    const piece = call.function?.arguments;
    if (!piece || open === undefined) return;
    open.item.arguments += piece;
    out.push(this.#event("response.function_call_arguments.delta", {
      item_id: open.item.id,
      output_index: open.index,
      delta: piece,
    }));
  }

  #begin<T extends Open>(out: string[], open: Omit<T, "index">): T {
    this.#close(out);
    const opened = { ...open, index: this.#output.length } as T;
    this.#output.push(opened.item);
    this.#open = opened;
    out.push(this.#event("response.output_item.added", {
      output_index: opened.index,
      item: structuredClone(opened.item),
    }));
    return opened;
  }

  #close(out: string[]): void {
    const open = this.#open;
    if (open === undefined) return;
    this.#open = undefined;
    const at = { item_id: open.item.id, output_index: open.index };
    if (open.kind === "reasoning") {
      const part = { type: "summary_text" as const, text: open.text };
      out.push(
        this.#event("response.reasoning_summary_text.done", {
          ...at,
          summary_index: 0,
          text: open.text,
        }),
      );
      out.push(
        this.#event("response.reasoning_summary_part.done", { ...at, summary_index: 0, part }),
      );
      open.item.summary = [part];
    } else if (open.kind === "message") {
      const part = { type: "output_text" as const, text: open.text, annotations: [] };
      out.push(
        this.#event("response.output_text.done", { ...at, content_index: 0, text: open.text }),
      );
      out.push(this.#event("response.content_part.done", { ...at, content_index: 0, part }));
      open.item.content = [part];
      open.item.status = "completed";
    } else {
      out.push(this.#event("response.function_call_arguments.done", {
        ...at,
        arguments: open.item.arguments,
      }));
      open.item.status = "completed";
    }
    out.push(
      this.#event("response.output_item.done", { output_index: open.index, item: open.item }),
    );
  }
}
