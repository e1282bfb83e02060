/**
 * `copilot serve`'s error answers: {@linkcode ApiError} in OpenAI's error
 * shape, and the policy that maps an upstream failure to an HTTP status.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import { redact } from "../base/redact.ts";

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
 * import { ApiError } from "./api_error.ts";
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
 * import { upstreamFailure } from "./api_error.ts";
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
