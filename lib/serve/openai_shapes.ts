/**
 * The request and answer shapes of `copilot serve`: validation of the
 * seed-compatible and OpenAI request bodies (each mistake names its field),
 * OpenAI's completion, chunk, model-list and error shapes, and the mapping of
 * upstream failures to an HTTP status.
 *
 * @module
 */

import type { CompletionRequest } from "../copilot/completion_request.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { redact } from "../base/redact.ts";

/** Largest `n` accepted, as `copilot complete -n` allows. */
export const MAX_N = 10;

/** Largest `max_tokens` accepted. */
export const MAX_TOKENS_LIMIT = 100_000;

/** Options of an {@linkcode ApiError}. */
export interface ApiErrorOptions {
  /** OpenAI's `error.type`; default derived from the status. */
  type?: string;
  /** The request field at fault, if any. */
  param?: string;
  /** Extra response headers (`Allow`, `Retry-After`). */
  headers?: Record<string, string>;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failure answered in OpenAI's error shape with an HTTP status.
 *
 * @example
 * ```ts
 * import { ApiError } from "./openai_shapes.ts";
 * const err = new ApiError(400, "invalid_type", "`n` must be an integer", { param: "n" });
 * console.assert(err.body().error.param === "n");
 * ```
 */
export class ApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** OpenAI's `error.code`: short and machine-readable. */
  readonly code: string;
  /** OpenAI's `error.type`. */
  readonly type: string;
  /** The field at fault, or null. */
  readonly param: string | null;
  /** Extra response headers. */
  readonly headers: Record<string, string>;

  /** Creates an error answer; `message` must hold no secret. */
  constructor(status: number, code: string, message: string, options: ApiErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.type = options.type ?? errorType(status);
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  /** The JSON body: `{"error": {"message", "type", "param", "code"}}`. */
  body(): ErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

/** OpenAI's error body. */
export interface ErrorBody {
  /** The error. */
  error: { message: string; type: string; param: string | null; code: string };
}

function errorType(status: number): string {
  switch (status) {
    case 401:
      return "authentication_error";
    case 402:
      return "insufficient_quota";
    case 403:
      return "permission_error";
    case 429:
      return "rate_limit_error";
    default:
      return status >= 500 ? "upstream_error" : "invalid_request_error";
  }
}

/**
 * Maps any failure of an upstream call to the {@linkcode ApiError} to answer:
 * network 502, timeout 504, upstream 503 503, other 5xx 502, 429 with
 * `Retry-After`, a missing or refused login 503, other 4xx passed on.
 * Messages are redacted.
 *
 * @example
 * ```ts
 * import { CopilotError } from "../base/errors.ts";
 * import { upstreamFailure } from "./openai_shapes.ts";
 * const err = upstreamFailure(new CopilotError("rate limited", { status: 429, retryAfter: 7 }));
 * console.assert(err.status === 429 && err.headers["Retry-After"] === "7");
 * ```
 */
export function upstreamFailure(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (!(err instanceof CopilotError)) {
    return new ApiError(500, "internal_error", "internal error (see the server's log)", {
      type: "server_error",
      cause: err,
    });
  }
  const message = redact(err.message);
  const options = { cause: err };
  const status = err.status;
  if (err.exitCode === ExitCode.Timeout) {
    return new ApiError(504, "upstream_timeout", message, options);
  }
  if (err.exitCode === ExitCode.Auth) {
    // The server's own login is missing or refused: not the caller's key, so not a 401.
    return new ApiError(503, "copilot_login", message, options);
  }
  if (status === 402) return new ApiError(402, "quota_exceeded", message, options);
  if (status === 429 || err.exitCode === ExitCode.RateLimited) {
    const headers: Record<string, string> = err.retryAfter === undefined
      ? {}
      : { "Retry-After": String(Math.ceil(err.retryAfter)) };
    return new ApiError(429, "rate_limited", message, { ...options, headers });
  }
  if (status === undefined) return new ApiError(502, "upstream_unreachable", message, options);
  if (status === 503) return new ApiError(503, "upstream_unavailable", message, options);
  if (status >= 500 || status === 466 || status === 499 || status < 400) {
    return new ApiError(502, "upstream_error", message, options);
  }
  if (status === 401 || status === 403) {
    return new ApiError(502, "upstream_rejected", message, options);
  }
  const code = status === 404
    ? "model_not_found"
    : status === 422
    ? "content_filter"
    : "upstream_rejected";
  return new ApiError(status, code, message, options);
}

// ---- validation -------------------------------------------------------------

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
  min: number,
  max: number,
  integer = false,
): number | undefined {
  const value = field(body, name);
  if (value === undefined) return undefined;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < min || value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? "an integer" : "a number";
    throw invalid(name, `\`${name}\` must be ${kind} from ${min} to ${max}`);
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
  const maxTokens = optionalNumber(body, "max_tokens", 1, MAX_TOKENS_LIMIT, true);
  const temperature = optionalNumber(body, "temperature", 0, 2);
  const topP = optionalNumber(body, "top_p", 0, 1);
  const n = optionalNumber(body, "n", 1, MAX_N, true);
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
 * import { seedRequest } from "./openai_shapes.ts";
 * const req = seedRequest({ prompt: "def f():\n", language: "python", max_tokens: 20 });
 * console.assert(req.maxTokens === 20);
 * ```
 */
export function seedRequest(body: Record<string, unknown>): CompletionRequest {
  const prompt = field(body, "prompt");
  if (typeof prompt !== "string") throw invalid("prompt", "`prompt` must be a string");
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
 * import { completionsCall } from "./openai_shapes.ts";
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
  /** The model asked for. */
  model: string;
  /** Whether the answer streams. */
  stream: boolean;
}

/**
 * Validates the fields of an OpenAI chat body that the proxy relies on:
 * `model` (a non-empty string), `messages` (a non-empty array of objects) and `stream`.
 *
 * @example
 * ```ts
 * import { chatCall } from "./openai_shapes.ts";
 * const call = chatCall({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] });
 * console.assert(call.stream === false);
 * ```
 */
export function chatCall(body: Record<string, unknown>): ChatCall {
  const model = field(body, "model");
  if (typeof model !== "string" || model === "") {
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

// ---- answers ----------------------------------------------------------------

/** One choice of a text completion. */
export interface CompletionChoice {
  /** The text (the whole text, or one piece of it in a chunk). */
  text: string;
  /** Which choice. */
  index: number;
  /** Always null: Copilot's log probabilities are not passed on. */
  logprobs: null;
  /** `stop`, `length`, `content_filter`, or null while streaming. */
  finish_reason: string | null;
}

/** Token counts; the proxy estimates them (about 4 characters a token). */
export interface Usage {
  /** Tokens of the prompt. */
  prompt_tokens: number;
  /** Tokens of every choice. */
  completion_tokens: number;
  /** The sum. */
  total_tokens: number;
}

/** OpenAI's text completion object (one answer, or one SSE chunk). */
export interface TextCompletion {
  /** `cmpl-...`, the same in every chunk of one answer. */
  id: string;
  /** Always `text_completion`. */
  object: "text_completion";
  /** Epoch seconds. */
  created: number;
  /** The model used. */
  model: string;
  /** The choices (of this chunk). */
  choices: CompletionChoice[];
  /** Token estimate: in the non-streamed answer, and the last chunk when asked. */
  usage?: Usage;
}

/** Rough token count of `text`, 4 characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Builds {@linkcode Usage} from the prompts and the choices' texts. */
export function usageOf(prompts: string[], texts: string[]): Usage {
  const prompt = prompts.reduce((sum, p) => sum + estimateTokens(p), 0);
  const completion = texts.reduce((sum, t) => sum + estimateTokens(t), 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** One entry of OpenAI's model list. */
export interface OpenAiModel {
  /** The model id to send back. */
  id: string;
  /** Always `model`. */
  object: "model";
  /** Epoch seconds; Copilot gives none, so 0. */
  created: number;
  /** The vendor, or `github-copilot`. */
  owned_by: string;
}

/**
 * Copilot's model entries in OpenAI's list shape; entries that do not parse
 * (no string `id`, `capabilities` not an object) are skipped singly, duplicates once.
 *
 * @example
 * ```ts
 * import { modelList } from "./openai_shapes.ts";
 * const list = modelList([{ id: "gpt-4.1", vendor: "Azure OpenAI" }, 42, { id: 1 }]);
 * console.assert(list.data.length === 1 && list.data[0]!.owned_by === "Azure OpenAI");
 * ```
 */
export function modelList(entries: unknown[]): { object: "list"; data: OpenAiModel[] } {
  const seen = new Set<string>();
  const data: OpenAiModel[] = [];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const { id, vendor, created, capabilities } = entry as Record<string, unknown>;
    if (typeof id !== "string" || id === "" || seen.has(id)) continue;
    // Copilot describes every model with a `capabilities` object; anything else does not parse.
    if (capabilities !== undefined && (typeof capabilities !== "object" || capabilities === null)) {
      continue;
    }
    seen.add(id);
    data.push({
      id,
      object: "model",
      created: typeof created === "number" && Number.isFinite(created) ? Math.floor(created) : 0,
      owned_by: typeof vendor === "string" && vendor !== "" ? vendor : "github-copilot",
    });
  }
  return { object: "list", data };
}

/**
 * Whether a Copilot model entry can be called through `/chat/completions`:
 * true when its `supported_endpoints` is absent or lists it.
 */
export function supportsChat(entry: unknown): boolean {
  if (typeof entry !== "object" || entry === null) return true;
  const endpoints = (entry as { supported_endpoints?: unknown }).supported_endpoints;
  if (!Array.isArray(endpoints)) return true;
  return endpoints.some((e) => e === "/chat/completions" || e === "/v1/chat/completions");
}
