/**
 * The native `/responses` pass-through (VS Code's Codex proxy, docs/copilot-protocol.md 4.5):
 * request fix-ups (hosted tools Copilot rejects removed, `custom` tools such as Codex's
 * `apply_patch` rewritten to function tools taking `{input}`, `service_tier` dropped) and a
 * stream fixer that keeps item ids equal between `output_item.added` and everything after it,
 * ends a stream that stops without a terminal event with an `error` event, and stops a runaway
 * of raw newlines in function-call arguments.
 *
 * @module
 */

import { isObject, type Json, objectsOf } from "../agents/json.ts";
import { sseEvent } from "../agents/sse_event.ts";

const HOSTED_TOOLS = ["web_search", "image_generation", "file_search", "code_interpreter"];

/** Schema of a rewritten `custom` tool. */
const CUSTOM_INPUT = {
  type: "object",
  properties: { input: { type: "string", description: "The tool's free-form input." } },
  required: ["input"],
  additionalProperties: false,
};

/** The body to send and one short note per change. */
export interface PreparedResponses {
  /** The body to send. */
  body: Json;
  /** What changed. */
  changes: string[];
}

/**
 * The body to send to Copilot's `/responses` for a client's `body`: `body` itself, fixed in
 * place (it is the request's own, parsed once; an agent's can be megabytes, not worth a copy).
 */
export function prepareResponsesBody(body: Json, options: { model: string }): PreparedResponses {
  const changes: string[] = [];
  const out = body;
  out.model = options.model;
  if ("service_tier" in out) {
    delete out.service_tier;
    changes.push("service_tier removed");
  }
  if (Array.isArray(out.tools)) {
    const tools = objectsOf(out.tools);
    const kept = tools.filter((tool) =>
      !HOSTED_TOOLS.some((prefix) => String(tool.type ?? "").startsWith(prefix))
    );
    if (kept.length !== tools.length) {
      changes.push(`${tools.length - kept.length} hosted tool(s) removed`);
    }
    out.tools = kept.map((tool) => tool.type === "custom" ? customAsFunction(tool) : tool);
    if (kept.some((tool) => tool.type === "custom")) changes.push("custom tool(s) made functions");
    const choice = out.tool_choice;
    if (isObject(choice) && choice.type !== "function" && choice.type !== "custom") {
      out.tool_choice = "auto";
    } else if (isObject(choice) && choice.type === "custom") {
      out.tool_choice = { ...choice, type: "function" };
    }
    if (kept.length === 0) {
      delete out.tools;
      delete out.tool_choice;
    }
  }
  if (Array.isArray(out.input)) out.input = out.input.map(customItemAsFunction);
  return { body: out, changes };
}

function customAsFunction(tool: Json): Json {
  return {
    type: "function",
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    parameters: CUSTOM_INPUT,
    strict: false,
  };
}

function customItemAsFunction(item: unknown): unknown {
  if (!isObject(item)) return item;
  if (item.type === "custom_tool_call") {
    const { input, ...rest } = item;
    return { ...rest, type: "function_call", arguments: JSON.stringify({ input: input ?? "" }) };
  }
  if (item.type === "custom_tool_call_output") return { ...item, type: "function_call_output" };
  return item;
}

/** One upstream SSE event as parsed (`event` name, raw `data`). */
export interface UpstreamEvent {
  /** The `event:` field, if any. */
  event?: string;
  /** The raw `data:` text. */
  data: string;
}

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);
/** Raw newlines/tabs in a row that mark a runaway (they cannot occur inside JSON strings). */
const RUNAWAY = 20;

/** Fixes a Copilot `/responses` stream event by event; see the module doc. */
export class ResponsesStreamFixer {
  readonly #ids = new Map<number, string>();
  readonly #blank = new Map<string, number>();
  #ended = false;

  /** Whether a terminal event went out (the caller may stop reading). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The SSE text to forward for one upstream event (nothing after the end). */
  push(event: UpstreamEvent): string[] {
    if (this.#ended) return [];
    let json: unknown;
    try {
      json = JSON.parse(event.data);
    } catch {
      return [`${event.event ? `event: ${event.event}\n` : ""}data: ${event.data}\n\n`];
    }
    if (!isObject(json)) return [`data: ${event.data}\n\n`];
    const type = typeof json.type === "string" ? json.type : event.event ?? "message";
    if (TERMINAL.has(type)) this.#ended = true;
    if (type === "response.function_call_arguments.delta" && this.#runaway(json)) {
      this.#ended = true;
      return [runawayError()];
    }
    return [
      this.#fixIds(type, json) ? sseEvent(type, json) : `event: ${type}\ndata: ${event.data}\n\n`,
    ];
  }

  /** What to send when the upstream body ends: an `error` event unless a terminal event came. */
  finish(): string[] {
    if (this.#ended) return [];
    this.#ended = true;
    return [sseEvent("error", {
      type: "error",
      code: "stream_incomplete",
      message: "Copilot's stream ended before response.completed",
      param: null,
    })];
  }

  /** Rewrites ids to the ones announced in `output_item.added`; whether anything changed. */
  #fixIds(type: string, json: Json): boolean {
    const index = typeof json.output_index === "number" ? json.output_index : undefined;
    if (type === "response.output_item.added" && index !== undefined && isObject(json.item)) {
      if (typeof json.item.id === "string") this.#ids.set(index, json.item.id);
      return false;
    }
    let changed = false;
    const known = index === undefined ? undefined : this.#ids.get(index);
    if (known !== undefined && typeof json.item_id === "string" && json.item_id !== known) {
      json.item_id = known;
      changed = true;
    }
    if (known !== undefined && isObject(json.item) && json.item.id !== known) {
      json.item.id = known;
      changed = true;
    }
    if (isObject(json.response) && Array.isArray(json.response.output)) {
      json.response.output.forEach((item, at) => {
        const id = this.#ids.get(at);
        if (isObject(item) && id !== undefined && item.id !== id) {
          item.id = id;
          changed = true;
        }
      });
    }
    return changed;
  }

  #runaway(json: Json): boolean {
    const key = String(json.item_id ?? json.output_index);
    const delta = typeof json.delta === "string" ? json.delta : "";
    const trailing = /[\r\n\t]*$/.exec(delta)![0].length;
    const run = trailing === delta.length ? (this.#blank.get(key) ?? 0) + trailing : trailing;
    this.#blank.set(key, run);
    return run > RUNAWAY;
  }
}

function runawayError(): string {
  return sseEvent("error", {
    type: "error",
    code: "runaway_arguments",
    message:
      "Copilot's function-call arguments degenerated into blank lines; the stream was stopped",
    param: null,
  });
}
