/** Tests of Anthropic-shaped errors. */

import { assertEquals } from "@std/assert";
import { parseEvents } from "../agents/sse_test_util.ts";
import { ApiError } from "../api_error.ts";
import {
  anthropicErrorResponse,
  errorEvent,
  errorTypeOf,
  fromCopilotError,
  promptTooLong,
} from "./anthropic_errors.ts";

Deno.test("errorTypeOf: Anthropic's status/type pairs", () => {
  const pairs = [400, 401, 402, 403, 404, 413, 429, 500, 503, 504, 529, 418].map((status) => [
    status,
    errorTypeOf(status),
  ]);
  assertEquals(pairs, [
    [400, "invalid_request_error"],
    [401, "authentication_error"],
    [402, "billing_error"],
    [403, "permission_error"],
    [404, "not_found_error"],
    [413, "request_too_large"],
    [429, "rate_limit_error"],
    [500, "api_error"],
    [503, "overloaded_error"],
    [504, "timeout_error"],
    [529, "overloaded_error"],
    [418, "invalid_request_error"],
  ]);
});

Deno.test("promptTooLong: Claude Code's compaction wording from Copilot's overflows", () => {
  assertEquals(
    promptTooLong("prompt token count of 74490 exceeds the limit of 72000"),
    "prompt is too long: 74490 tokens > 72000 maximum",
  );
  assertEquals(
    promptTooLong("input length and max_tokens exceed context limit: 189727 + 16000 > 200000"),
    "prompt is too long: 189727 tokens > 184000 maximum",
  );
  assertEquals(promptTooLong("something else"), undefined);
});

Deno.test("fromCopilotError: JSON and text bodies", () => {
  const overflow = JSON.stringify({
    error: {
      message: "prompt token count of 74490 exceeds the limit of 72000",
      code: "model_max_prompt_tokens_exceeded",
    },
  });
  assertEquals(fromCopilotError(400, overflow), {
    status: 400,
    body: {
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "prompt is too long: 74490 tokens > 72000 maximum",
      },
    },
  });
  assertEquals(fromCopilotError(429, '{"message":"rate limit exceeded","code":"rate_limited"}'), {
    status: 429,
    body: { type: "error", error: { type: "rate_limit_error", message: "rate limit exceeded" } },
  });
  assertEquals(fromCopilotError(500, "  "), {
    status: 500,
    body: { type: "error", error: { type: "api_error", message: "no details" } },
  });
  assertEquals(fromCopilotError(401, "unauthorized: token expired").body.error, {
    type: "authentication_error",
    message: "unauthorized: token expired",
  });
});

Deno.test("errorEvent: an SSE error event", () => {
  assertEquals(parseEvents([errorEvent("overloaded_error", "busy")]), [{
    event: "error",
    data: { type: "error", error: { type: "overloaded_error", message: "busy" } },
  }]);
});

Deno.test("anthropicErrorResponse: status, headers and Anthropic's body; overflows as Claude Code reads them", async () => {
  const refused = anthropicErrorResponse(
    new ApiError(405, "method_not_allowed", "/v1/messages takes POST", {
      headers: { "Allow": "POST, OPTIONS" },
    }),
  );
  assertEquals([refused.status, refused.headers.get("allow"), await refused.json()], [
    405,
    "POST, OPTIONS",
    { type: "error", error: { type: "invalid_request_error", message: "/v1/messages takes POST" } },
  ]);
  const overflow = anthropicErrorResponse(
    new ApiError(
      413,
      "upstream_rejected",
      "prompt token count of 200001 exceeds the limit of 128000",
    ),
  );
  assertEquals([overflow.status, await overflow.json()], [400, {
    type: "error",
    error: {
      type: "invalid_request_error",
      message: "prompt is too long: 200001 tokens > 128000 maximum",
    },
  }]);
});
