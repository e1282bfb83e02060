/**
 * Anthropic-shaped errors (`{"type":"error","error":{"type","message"}}`) with Anthropic's
 * status/type pairs, made from Copilot's errors and from serve's own failures (the error shape
 * of the Anthropic routes' table rows). Copilot's prompt-overflow errors become
 * `prompt is too long: N tokens > M maximum`, the message Claude Code compacts on.
 *
 * @module
 */

import { sseEvent } from "../agents/sse_event.ts";
import { isObject } from "../agents/json.ts";
import type { ApiError } from "../api_error.ts";
import { json } from "../route.ts";

/** Anthropic's error types. */
export type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "billing_error"
  | "permission_error"
  | "not_found_error"
  | "request_too_large"
  | "rate_limit_error"
  | "api_error"
  | "timeout_error"
  | "overloaded_error";

/** An Anthropic error body. */
export interface AnthropicErrorBody {
  /** Always `"error"`. */
  type: "error";
  /** Kind and message. */
  error: { type: AnthropicErrorType; message: string };
}

/** Anthropic's error type for an HTTP status. */
export function errorTypeOf(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
    case 422:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
  }
}

/** The body of an Anthropic error. */
export function errorBody(type: AnthropicErrorType, message: string): AnthropicErrorBody {
  return { type: "error", error: { type, message } };
}

/**
 * The answer to any failure on an Anthropic route (an access refusal, a wrong method, the route's
 * own): its status and headers (`Allow`, `Retry-After`) in Anthropic's shape; a prompt overflow
 * reads as Claude Code's `prompt is too long: N tokens > M maximum`, a 400.
 *
 * @example
 * ```ts
 * import { ApiError } from "../api_error.ts";
 * import { anthropicErrorResponse } from "./anthropic_errors.ts";
 * const res = anthropicErrorResponse(new ApiError(401, "invalid_api_key", "Incorrect API key provided"));
 * console.assert((await res.json()).error.type === "authentication_error");
 * ```
 */
export function anthropicErrorResponse(failure: ApiError): Response {
  const tooLong = failure.status === 400 || failure.status === 413
    ? promptTooLong(failure.message)
    : undefined;
  if (tooLong !== undefined) return json(errorBody("invalid_request_error", tooLong), 400);
  const body = errorBody(errorTypeOf(failure.status), failure.message);
  return json(body, failure.status, failure.headers);
}

/** An in-stream `event: error`. */
export function errorEvent(type: AnthropicErrorType, message: string): string {
  return sseEvent("error", errorBody(type, message));
}

/**
 * Claude Code's overflow message for a Copilot overflow message, or undefined:
 * `prompt token count of N exceeds the limit of M` and
 * `input length and max_tokens exceed context limit: N + K > W` (then M = W − K).
 */
export function promptTooLong(message: string): string | undefined {
  const count = /prompt token count of (\d+) exceeds the limit of (\d+)/.exec(message);
  if (count) return `prompt is too long: ${count[1]} tokens > ${count[2]} maximum`;
  const context = /context limit: (\d+) \+ (\d+) > (\d+)/.exec(message);
  if (context) {
    const maximum = Number(context[3]) - Number(context[2]);
    return `prompt is too long: ${context[1]} tokens > ${maximum} maximum`;
  }
  return undefined;
}

/** Copilot's message and code from an error body (JSON `{"error": {...}}` or plain text). */
export function copilotErrorOf(text: string): { message: string; code?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = isObject(parsed) && isObject(parsed.error) ? parsed.error : parsed;
    if (isObject(error) && typeof error.message === "string") {
      return typeof error.code === "string"
        ? { message: error.message, code: error.code }
        : { message: error.message };
    }
  } catch {
    // plain text
  }
  return { message: text.trim() || "no details" };
}

/**
 * The status and Anthropic body for a Copilot error answer (`status`, body `text`). Prompt
 * overflows become `invalid_request_error` with Claude Code's wording; 5xx keep their status.
 */
export function fromCopilotError(
  status: number,
  text: string,
): { status: number; body: AnthropicErrorBody } {
  const { message, code } = copilotErrorOf(text);
  const tooLong = code === "model_max_prompt_tokens_exceeded" || code === "invalid_request_body" ||
      status === 400 || status === 413
    ? promptTooLong(message)
    : undefined;
  if (tooLong !== undefined) {
    return { status: 400, body: errorBody("invalid_request_error", tooLong) };
  }
  return { status, body: errorBody(errorTypeOf(status), message) };
}
