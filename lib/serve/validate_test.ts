import { assertEquals, assertThrows } from "@std/assert";
import { ApiError } from "./api_error.ts";
import { chatCall, completionsCall, parseJsonObject, seedRequest } from "./validate.ts";

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
  assertEquals(chatCall({ messages: [{}] }).model, undefined);
  fieldError(() => chatCall({ model: 1, messages: [{}] }), "model");
  fieldError(() => chatCall({ model: "", messages: [{}] }), "model");
  fieldError(() => chatCall({ model: "m" }), "messages");
  fieldError(() => chatCall({ model: "m", messages: [] }), "messages");
  fieldError(() => chatCall({ model: "m", messages: ["hi"] }), "messages");
  fieldError(() => chatCall({ model: "m", messages: [{}], stream: 1 }), "stream");
});

Deno.test("a blank prompt is refused as the CLI refuses it (400, the CLI's words)", () => {
  for (const body of [{ prompt: "" }, { prompt: " \n\t" }]) {
    const err = assertThrows(() => seedRequest(body), ApiError);
    assertEquals(err.status, 400);
    assertEquals(err.message, "`prompt`: empty prompt: nothing to complete");
  }
  for (const prompt of ["", ["a", "  "]]) {
    const err = assertThrows(() => completionsCall({ model: "m", prompt }), ApiError);
    assertEquals(err.status, 400);
  }
});
