import { assertEquals } from "@std/assert";
import { CopilotError } from "../base/errors.ts";
import { ApiError } from "./api_error.ts";
import { errorEvent, errorResponse, json, sseEvent } from "./route.ts";

Deno.test("json and errorResponse answer JSON with the status and headers", async () => {
  const ok = json({ a: 1 });
  assertEquals([ok.status, ok.headers.get("content-type"), await ok.json()], [
    200,
    "application/json",
    { a: 1 },
  ]);
  const err = errorResponse(
    new ApiError(405, "method_not_allowed", "no", { headers: { Allow: "GET" } }),
  );
  assertEquals([err.status, err.headers.get("allow")], [405, "GET"]);
  assertEquals((await err.json()).error.code, "method_not_allowed");
});

Deno.test("sseEvent and errorEvent", () => {
  assertEquals(sseEvent("[DONE]"), "data: [DONE]\n\n");
  const data = JSON.parse(errorEvent(new CopilotError("busy", { status: 503 })));
  assertEquals(data.error.code, "upstream_unavailable");
});
