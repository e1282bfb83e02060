import { assertEquals, assertRejects } from "@std/assert";
import { ApiError } from "../api_error.ts";
import { post, streamedOf, StubClient, stubContext, textOf } from "../_stub_client.ts";
import { seed } from "./seed.ts";

Deno.test("seed streams choice 0 as plain text, the fields passed on", async () => {
  const client = new StubClient();
  const answer = streamedOf(
    await seed(
      stubContext(client),
      post("/", { prompt: "p", language: "python", max_tokens: 9 }),
      new AbortController().signal,
    ),
  );
  assertEquals(answer.headers["Content-Type"], "text/plain; charset=utf-8");
  assertEquals(await textOf(answer), "hello world");
  assertEquals(client.completionCalls, [{ prompt: "p", language: "python", maxTokens: 9 }]);
});

Deno.test("seed puts other choices after choice 0, in order", async () => {
  const client = new StubClient();
  client.chunks = [
    { index: 2, text: "c", finishReason: null },
    { index: 0, text: "a", finishReason: null },
    { index: 1, text: "b", finishReason: "stop" },
  ];
  const answer = await seed(
    stubContext(client),
    post("/", { prompt: "p", n: 3 }),
    new AbortController().signal,
  );
  assertEquals(await textOf(answer), "a\n\n--- choice 2 ---\nb\n\n--- choice 3 ---\nc");
});

Deno.test("seed refuses a bad body before calling upstream", async () => {
  const client = new StubClient();
  const err = await assertRejects(
    () => seed(stubContext(client), post("/", { prompt: 1 }), new AbortController().signal),
    ApiError,
  );
  assertEquals([err.status, err.param], [400, "prompt"]);
  assertEquals(client.completionCalls.length, 0);
});

Deno.test("seed honours the context's body limit", async () => {
  const ctx = stubContext(new StubClient(), { maxBodyBytes: 10 });
  const err = await assertRejects(
    () => seed(ctx, post("/", { prompt: "longer than ten bytes" }), new AbortController().signal),
    ApiError,
  );
  assertEquals(err.status, 413);
});
