/**
 * A Copilot `/responses` stream as OpenAI chat SSE, event by event (the streamed half of
 * chat_via_responses.ts): text deltas become `content` deltas, function calls `tool_calls`
 * deltas (one index per call), `response.completed` the last chunk with `finish_reason` and
 * `usage`, then `[DONE]`; a failure becomes an `{"error": ...}` event.
 *
 * @module
 */

import { isObject, type Json } from "../agents/json.ts";
import { chatUsage, finishOf } from "./chat_via_responses.ts";

/** Turns Responses events into chat SSE text; see the module doc. */
export class ChatFromResponses {
  readonly #model: string;
  readonly #id = `chatcmpl-${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
  readonly #created = Math.floor(Date.now() / 1000);
  /** Output index of each function call → its tool_calls index. */
  readonly #calls = new Map<number, number>();
  #started = false;
  #ended = false;

  /** A translator for an answer named `model`. */
  constructor(model: string) {
    this.#model = model;
  }

  /** The chat SSE text for one upstream event. */
  push(event: { event?: string; data: string }): string[] {
    if (this.#ended) return [];
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      return [];
    }
    if (!isObject(json)) return [];
    const type = typeof json.type === "string" ? json.type : event.event;
    switch (type) {
      case "response.output_text.delta":
        return this.#chunk({ content: String(json.delta ?? "") });
      case "response.output_item.added":
        return this.#callStart(json);
      case "response.function_call_arguments.delta": {
        const index = this.#calls.get(Number(json.output_index));
        if (index === undefined) return [];
        return this.#chunk({ tool_calls: [{ index, function: { arguments: json.delta ?? "" } }] });
      }
      case "response.completed":
      case "response.incomplete":
        return this.#complete(isObject(json.response) ? json.response : {});
      case "response.failed":
      case "error":
        return this.#fail(json);
      default:
        return [];
    }
  }

  /** At the end of the upstream body: an error event unless the answer completed. */
  finish(): string[] {
    if (this.#ended) return [];
    return this.#fail({ message: "Copilot's stream ended before the response completed" });
  }

  #callStart(json: Json): string[] {
    const item = isObject(json.item) ? json.item : {};
    if (item.type !== "function_call") return [];
    const index = this.#calls.size;
    this.#calls.set(Number(json.output_index), index);
    const call = {
      index,
      id: item.call_id,
      type: "function",
      function: { name: item.name, arguments: "" },
    };
    return this.#chunk({ tool_calls: [call] });
  }

  #complete(response: Json): string[] {
    this.#ended = true;
    const usage = chatUsage(response.usage);
    const last = this.#frame({}, finishOf(response, this.#calls.size > 0), usage);
    return [...this.#opening(), last, "data: [DONE]\n\n"];
  }

  #fail(json: Json): string[] {
    this.#ended = true;
    const error = isObject(json.response) && isObject(json.response.error)
      ? json.response.error
      : isObject(json.error)
      ? json.error
      : json;
    const message = typeof error.message === "string" ? error.message : "Copilot failed";
    const body = {
      error: { message, type: "upstream_error", param: null, code: "upstream_error" },
    };
    return [`data: ${JSON.stringify(body)}\n\n`];
  }

  /** The role chunk, once, before the first content. */
  #opening(): string[] {
    if (this.#started) return [];
    this.#started = true;
    return [this.#frame({ role: "assistant", content: "" }, null)];
  }

  #chunk(delta: Json): string[] {
    return [...this.#opening(), this.#frame(delta, null)];
  }

  #frame(delta: Json, finish: string | null, usage?: Json): string {
    const chunk = {
      id: this.#id,
      object: "chat.completion.chunk",
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }
}
