import { assertEquals, assertRejects } from "@std/assert";
import { CopilotError } from "../../base/errors.ts";
import { ApiError } from "../api_error.ts";
import { post, responseOf, streamedOf, StubClient, stubContext, textOf } from "../_stub_client.ts";
import { completions } from "./completions.ts";

const signal = () => new AbortController().signal;

Deno.test("completions, not streamed: one object with the clock's time and a usage estimate", async () => {
  const client = new StubClient();
  const answer = responseOf(
    await completions(
      stubContext(client, { now: () => 42_000 }),
      post("/v1/completions", { prompt: "abcd", echo: true }),
      signal(),
    ),
  );
  const body = await answer.json();
  assertEquals(body.object, "text_completion");
  assertEquals(body.created, 42);
  assertEquals(body.model, "gpt-41-copilot");
  assertEquals(body.choices, [
    { text: "abcdhello world", index: 0, logprobs: null, finish_reason: "stop" },
  ]);
  assertEquals(body.usage, { prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 });
});

Deno.test("completions, streamed: one event per chunk, usage when asked, then [DONE]", async () => {
  const answer = streamedOf(
    await completions(
      stubContext(),
      post("/v1/completions", {
        model: "m",
        prompt: "p",
        stream: true,
        stream_options: { include_usage: true },
      }),
      signal(),
    ),
  );
  assertEquals(answer.headers["Content-Type"], "text/event-stream");
  const events = (await textOf(answer)).split("\n\n").filter((e) => e !== "")
    .map((e) => e.replace(/^data: /, ""));
  assertEquals(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  assertEquals(chunks.map((c) => c.choices[0]?.text ?? null), ["hello", " world", "", null]);
  assertEquals(chunks.map((c) => c.model), ["m", "m", "m", "m"]);
  assertEquals(new Set(chunks.map((c) => c.id)).size, 1);
  assertEquals(chunks.at(-1).usage, { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
});

Deno.test("completions validates the body before calling upstream", async () => {
  const client = new StubClient();
  const err = await assertRejects(
    () =>
      completions(stubContext(client), post("/v1/completions", { prompt: "p", n: 11 }), signal()),
    ApiError,
  );
  assertEquals([err.status, err.code, err.param], [400, "invalid_type", "n"]);
  assertEquals(client.completionCalls.length, 0);
});

Deno.test("completions: an upstream failure before the start is thrown for the handler to map", async () => {
  const client = new StubClient();
  client.failure = new CopilotError("busy", { status: 503 });
  const err = await assertRejects(
    () => completions(stubContext(client), post("/v1/completions", { prompt: "p" }), signal()),
    CopilotError,
  );
  assertEquals(err.status, 503);
});

Deno.test("completions: a failure mid-stream becomes an error event in OpenAI's shape", async () => {
  const client = new StubClient();
  client.streamFailure = new CopilotError("Copilot answered 429", { status: 429, retryAfter: 3 });
  const answer = await completions(
    stubContext(client),
    post("/v1/completions", { prompt: "p", stream: true }),
    signal(),
  );
  const events = (await textOf(answer)).split("\n\n").filter((e) => e !== "");
  const last = JSON.parse(events.at(-1)!.replace(/^data: /, ""));
  assertEquals(last.error.code, "rate_limited");
  assertEquals(events.includes("data: [DONE]"), false);
});
