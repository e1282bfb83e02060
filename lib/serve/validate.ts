/**
 * Validation of `copilot serve`'s request bodies: the seed-compatible `POST /`
 * and OpenAI's completions and chat bodies. Each mistake is a 400 naming its field.
 *
 * @module
 */

import type { CompletionRequest } from "../copilot/completion_request.ts";
import {
  EMPTY_PROMPT,
  inRange,
  isBlankPrompt,
  MAX_TOKENS_RANGE,
  N_RANGE,
  type NumberRange,
  TEMPERATURE_RANGE,
  TOP_P_RANGE,
} from "../base/limits.ts";
import { ApiError } from "./api_error.ts";

function invalid(param: string, message: string): ApiError {
  return new ApiError(400, "invalid_type", message, { param });
}

/** Parses a request body as a JSON object; anything else is a 400. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ApiError(400, "invalid_json", `Cannot parse the body as JSON: ${why}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ApiError(400, "invalid_json", "The body must be a JSON object");
  }
  return json as Record<string, unknown>;
}

/** `body[name]`, with `null` read as absent (OpenAI clients send nulls for defaults). */
function field(body: Record<string, unknown>, name: string): unknown {
  const value = body[name];
  return value === null ? undefined : value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = field(body, name);
  if (value === undefined || typeof value === "string") return value;
  throw invalid(name, `\`${name}\` must be a string`);
}

function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = field(body, name);
  if (value === undefined || typeof value === "boolean") return value;
  throw invalid(name, `\`${name}\` must be a boolean`);
}

function optionalNumber(
  body: Record<string, unknown>,
  name: string,
  range: NumberRange,
): number | undefined {
  const value = field(body, name);
  if (value === undefined) return undefined;
  if (!inRange(value, range)) {
    const kind = range.integer ? "an integer" : "a number";
    throw invalid(name, `\`${name}\` must be ${kind} from ${range.min} to ${range.max}`);
  }
  return value;
}

function optionalStop(body: Record<string, unknown>): string[] | undefined {
  const value = field(body, "stop");
  if (value === undefined) return undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.length <= 16 && value.every((s) => typeof s === "string")) {
    return value as string[];
  }
  throw invalid("stop", "`stop` must be a string or an array of at most 16 strings");
}

/** The completion options both completion routes share. */
function completionOptions(body: Record<string, unknown>): Omit<CompletionRequest, "prompt"> {
  const options: Omit<CompletionRequest, "prompt"> = {};
  const suffix = optionalString(body, "suffix");
  const language = optionalString(body, "language");
  const model = optionalString(body, "model");
  const maxTokens = optionalNumber(body, "max_tokens", MAX_TOKENS_RANGE);
  const temperature = optionalNumber(body, "temperature", TEMPERATURE_RANGE);
  const topP = optionalNumber(body, "top_p", TOP_P_RANGE);
  const n = optionalNumber(body, "n", N_RANGE);
  const stop = optionalStop(body);
  if (suffix !== undefined) options.suffix = suffix;
  if (language !== undefined) options.language = language;
  if (model !== undefined && model !== "") options.model = model;
  if (maxTokens !== undefined) options.maxTokens = maxTokens;
  if (temperature !== undefined) options.temperature = temperature;
  if (topP !== undefined) options.topP = topP;
  if (n !== undefined) options.n = n;
  if (stop !== undefined) options.stop = stop;
  return options;
}

/**
 * Validates the seed-compatible body of `POST /`: `{"prompt", "language"}`
 * plus optional `suffix`, `max_tokens`, `temperature`, `top_p`, `n`, `stop`, `model`.
 *
 * @example
 * ```ts
 * import { seedRequest } from "./validate.ts";
 * const req = seedRequest({ prompt: "def f():\n", language: "python", max_tokens: 20 });
 * console.assert(req.maxTokens === 20);
 * ```
 */
export function seedRequest(body: Record<string, unknown>): CompletionRequest {
  const prompt = field(body, "prompt");
  if (typeof prompt !== "string") throw invalid("prompt", "`prompt` must be a string");
  if (isBlankPrompt(prompt)) throw invalid("prompt", `\`prompt\`: ${EMPTY_PROMPT}`);
  return { prompt, ...completionOptions(body) };
}

/** A validated `POST /v1/completions` request. */
export interface CompletionsCall {
  /** One upstream request per prompt; the prompt is filled in per request. */
  request: Omit<CompletionRequest, "prompt">;
  /** The prompts (OpenAI allows a list). */
  prompts: string[];
  /** Answer with SSE chunks. */
  stream: boolean;
  /** Put the prompt before each choice's text. */
  echo: boolean;
  /** Send a last chunk with `usage` (`stream_options.include_usage`). */
  includeUsage: boolean;
}

/**
 * Validates an OpenAI `POST /v1/completions` body. `prompt` is a string or a
 * list of strings; Copilot's `language` and `suffix` are accepted as extras.
 *
 * @example
 * ```ts
 * import { completionsCall } from "./validate.ts";
 * const call = completionsCall({ model: "gpt-41-copilot", prompt: ["a", "b"], stream: true });
 * console.assert(call.prompts.length === 2 && call.stream);
 * ```
 */
export function completionsCall(body: Record<string, unknown>): CompletionsCall {
  const prompt = field(body, "prompt");
  let prompts: string[];
  if (typeof prompt === "string") prompts = [prompt];
  else if (
    Array.isArray(prompt) && prompt.length > 0 && prompt.length <= 16 &&
    prompt.every((p) => typeof p === "string")
  ) {
    prompts = prompt as string[];
  } else {
    throw invalid("prompt", "`prompt` must be a string or an array of 1 to 16 strings");
  }
  if (prompts.some(isBlankPrompt)) throw invalid("prompt", `\`prompt\`: ${EMPTY_PROMPT}`);
  const streamOptions = field(body, "stream_options");
  if (
    streamOptions !== undefined &&
    (typeof streamOptions !== "object" || Array.isArray(streamOptions))
  ) {
    throw invalid("stream_options", "`stream_options` must be an object");
  }
  const includeUsage = streamOptions === undefined
    ? undefined
    : optionalBoolean(streamOptions as Record<string, unknown>, "include_usage");
  return {
    request: completionOptions(body),
    prompts,
    stream: optionalBoolean(body, "stream") ?? false,
    echo: optionalBoolean(body, "echo") ?? false,
    includeUsage: includeUsage ?? false,
  };
}

/** A validated `POST /v1/chat/completions` request (the body itself is forwarded). */
export interface ChatCall {
  /** The model asked for; undefined when the body names none (Copilot's chat default is used). */
  model: string | undefined;
  /** Whether the answer streams. */
  stream: boolean;
}

/**
 * Validates the fields of an OpenAI chat body that the proxy relies on:
 * `model` (a non-empty string when present), `messages` (a non-empty array of
 * objects) and `stream`.
 *
 * @example
 * ```ts
 * import { chatCall } from "./validate.ts";
 * const call = chatCall({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });
 * console.assert(call.stream === false);
 * ```
 */
export function chatCall(body: Record<string, unknown>): ChatCall {
  const model = field(body, "model");
  if (model !== undefined && (typeof model !== "string" || model === "")) {
    throw invalid("model", "`model` must be a non-empty string");
  }
  const messages = field(body, "messages");
  if (
    !Array.isArray(messages) || messages.length === 0 ||
    !messages.every((m) => typeof m === "object" && m !== null && !Array.isArray(m))
  ) {
    throw invalid("messages", "`messages` must be a non-empty array of objects");
  }
  return { model, stream: optionalBoolean(body, "stream") ?? false };
}
