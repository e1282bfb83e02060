import { assertEquals } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { ApiError, upstreamFailure } from "./api_error.ts";

Deno.test("ApiError answers in OpenAI's error shape, its type derived from the status", () => {
  const err = new ApiError(400, "invalid_type", "`n` must be an integer", { param: "n" });
  assertEquals(err.body(), {
    error: {
      message: "`n` must be an integer",
      type: "invalid_request_error",
      param: "n",
      code: "invalid_type",
    },
  });
  assertEquals(new ApiError(401, "x", "m").type, "authentication_error");
  assertEquals(new ApiError(502, "x", "m").type, "upstream_error");
  assertEquals(new ApiError(500, "x", "m", { type: "server_error" }).type, "server_error");
});

Deno.test("upstreamFailure maps upstream trouble to a status", async (t) => {
  const cases: [CopilotError | Error, number, string][] = [
    [new CopilotError("cannot reach x: Connection refused"), 502, "upstream_unreachable"],
    [new CopilotError("no answer", { exitCode: ExitCode.Timeout }), 504, "upstream_timeout"],
    [new CopilotError("busy", { status: 503 }), 503, "upstream_unavailable"],
    [new CopilotError("boom", { status: 500 }), 502, "upstream_error"],
    [new CopilotError("bad gw", { status: 502 }), 502, "upstream_error"],
    [new CopilotError("old client", { status: 466 }), 502, "upstream_error"],
    [new CopilotError("bad", { status: 400 }), 400, "upstream_rejected"],
    [new CopilotError("no model", { status: 404 }), 404, "model_not_found"],
    [new CopilotError("filtered", { status: 422 }), 422, "content_filter"],
    [
      new CopilotError("quota", { status: 402, exitCode: ExitCode.RateLimited }),
      402,
      "quota_exceeded",
    ],
    [new CopilotError("login", { exitCode: ExitCode.Auth }), 503, "copilot_login"],
    [new CopilotError("rejected", { status: 401, exitCode: ExitCode.Auth }), 503, "copilot_login"],
    [
      new CopilotError("gh limit", { status: 403, exitCode: ExitCode.RateLimited }),
      429,
      "rate_limited",
    ],
    [new Error("bug"), 500, "internal_error"],
  ];
  for (const [err, status, code] of cases) {
    await t.step(`${err.message} -> ${status}`, () => {
      const failure = upstreamFailure(err);
      assertEquals([failure.status, failure.code], [status, code]);
    });
  }

  await t.step("429 carries Retry-After, rounded up", () => {
    const failure = upstreamFailure(
      new CopilotError("slow down", { status: 429, retryAfter: 2.2 }),
    );
    assertEquals(failure.status, 429);
    assertEquals(failure.headers["Retry-After"], "3");
    assertEquals(failure.type, "rate_limit_error");
  });

  await t.step("messages are redacted", () => {
    const failure = upstreamFailure(
      new CopilotError("Copilot answered 500: Bearer tid=abc;exp=1:ff ghu_secret123", {
        status: 500,
      }),
    );
    assertEquals(failure.message.includes("tid="), false);
    assertEquals(failure.message.includes("ghu_secret123"), false);
  });
});
