import { assertEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import {
  ApiError,
  chatCall,
  completionsCall,
  modelList,
  parseJsonObject,
  seedRequest,
  supportsChat,
  upstreamFailure,
  usageOf,
} from "./openai_shapes.ts";

function fieldError(fn: () => unknown, param: string): ApiError {
  const err = assertThrows(fn, ApiError);
  assertEquals(err.status, 400);
  assertEquals(err.param, param);
  assertEquals(err.body().error.param, param);
  return err;
}

Deno.test("parseJsonObject", () => {
  assertEquals(parseJsonObject('{"a":1}'), { a: 1 });
  for (const text of ["", "{", "[1]", "null", '"x"', "3"]) {
    const err = assertThrows(() => parseJsonObject(text), ApiError);
    assertEquals([err.status, err.code], [400, "invalid_json"]);
  }
});

Deno.test("seedRequest", async (t) => {
  await t.step("maps every field", () => {
    assertEquals(
      seedRequest({
        prompt: "def f():\n",
        language: "python",
        suffix: "\n",
        max_tokens: 20,
        temperature: 0.5,
        top_p: 0.9,
        n: 2,
        stop: "\n\n",
        model: "copilot-codex",
        unknown: true,
      }),
      {
        prompt: "def f():\n",
        language: "python",
        suffix: "\n",
        maxTokens: 20,
        temperature: 0.5,
        topP: 0.9,
        n: 2,
        stop: ["\n\n"],
        model: "copilot-codex",
      },
    );
  });

  await t.step("nulls mean absent", () => {
    assertEquals(seedRequest({ prompt: "x", max_tokens: null, stop: null }), { prompt: "x" });
  });

  await t.step("each wrong type names its field", () => {
    fieldError(() => seedRequest({}), "prompt");
    fieldError(() => seedRequest({ prompt: 1 }), "prompt");
    fieldError(() => seedRequest({ prompt: "x", language: 3 }), "language");
    fieldError(() => seedRequest({ prompt: "x", suffix: [] }), "suffix");
    fieldError(() => seedRequest({ prompt: "x", max_tokens: "20" }), "max_tokens");
    fieldError(() => seedRequest({ prompt: "x", max_tokens: 1.5 }), "max_tokens");
    fieldError(() => seedRequest({ prompt: "x", max_tokens: 0 }), "max_tokens");
    fieldError(() => seedRequest({ prompt: "x", temperature: 3 }), "temperature");
    fieldError(() => seedRequest({ prompt: "x", top_p: -1 }), "top_p");
    fieldError(() => seedRequest({ prompt: "x", n: 11 }), "n");
    fieldError(() => seedRequest({ prompt: "x", stop: [1] }), "stop");
    fieldError(() => seedRequest({ prompt: "x", model: {} }), "model");
  });
});

Deno.test("completionsCall", async (t) => {
  await t.step("a string prompt, defaults", () => {
    assertEquals(completionsCall({ prompt: "a" }), {
      request: {},
      prompts: ["a"],
      stream: false,
      echo: false,
      includeUsage: false,
    });
  });

  await t.step("a list of prompts, streaming with usage", () => {
    const call = completionsCall({
      model: "gpt-41-copilot",
      prompt: ["a", "b"],
      stream: true,
      echo: true,
      stream_options: { include_usage: true },
      logprobs: null,
      user: "me",
    });
    assertEquals(call.prompts, ["a", "b"]);
    assertEquals([call.stream, call.echo, call.includeUsage], [true, true, true]);
    assertEquals(call.request.model, "gpt-41-copilot");
  });

  await t.step("bad fields", () => {
    fieldError(() => completionsCall({ prompt: [1, 2] }), "prompt");
    fieldError(() => completionsCall({ prompt: [] }), "prompt");
    fieldError(() => completionsCall({}), "prompt");
    fieldError(() => completionsCall({ prompt: "a", stream: "yes" }), "stream");
    fieldError(() => completionsCall({ prompt: "a", echo: 1 }), "echo");
    fieldError(() => completionsCall({ prompt: "a", stream_options: [] }), "stream_options");
    fieldError(
      () => completionsCall({ prompt: "a", stream_options: { include_usage: "x" } }),
      "include_usage",
    );
  });
});

Deno.test("chatCall", () => {
  assertEquals(chatCall({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }), {
    model: "gpt-4.1",
    stream: false,
  });
  assertEquals(chatCall({ model: "m", messages: [{}], stream: true }).stream, true);
  fieldError(() => chatCall({ messages: [{}] }), "model");
  fieldError(() => chatCall({ model: "", messages: [{}] }), "model");
  fieldError(() => chatCall({ model: "m" }), "messages");
  fieldError(() => chatCall({ model: "m", messages: [] }), "messages");
  fieldError(() => chatCall({ model: "m", messages: ["hi"] }), "messages");
  fieldError(() => chatCall({ model: "m", messages: [{}], stream: 1 }), "stream");
});

Deno.test("modelList skips entries that do not parse and duplicates", () => {
  const list = modelList([
    { id: "gpt-4.1", vendor: "Azure OpenAI", capabilities: { type: "chat" } },
    { id: "gpt-4.1", vendor: "again" },
    { id: "plain" },
    { id: "broken", capabilities: "unknown" },
    { id: 3 },
    { name: "no id" },
    null,
    "text",
  ]);
  assertEquals(list, {
    object: "list",
    data: [
      { id: "gpt-4.1", object: "model", created: 0, owned_by: "Azure OpenAI" },
      { id: "plain", object: "model", created: 0, owned_by: "github-copilot" },
    ],
  });
});

Deno.test("supportsChat", () => {
  assertEquals(supportsChat({ id: "a" }), true);
  assertEquals(supportsChat({ id: "a", supported_endpoints: ["/chat/completions"] }), true);
  assertEquals(supportsChat({ id: "a", supported_endpoints: ["/responses"] }), false);
  assertEquals(supportsChat({ id: "a", supported_endpoints: [] }), false);
});

Deno.test("usageOf estimates 4 characters a token", () => {
  assertEquals(usageOf(["abcd", "abcde"], ["ab", ""]), {
    prompt_tokens: 3,
    completion_tokens: 1,
    total_tokens: 4,
  });
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
