import { assertEquals, assertRejects } from "@std/assert";
import { ApiError } from "../api_error.ts";
import { post, streamedOf, StubClient, stubContext, textOf } from "../_stub_client.ts";
import { chat } from "./chat.ts";

const signal = () => new AbortController().signal;
const messages = [{ role: "user", content: "hi" }];

Deno.test("chat forwards the body as sent and passes the stream through", async () => {
  const client = new StubClient();
  const body = { model: "gpt-4.1", messages, stream: true, extra: 1 };
  const answer = streamedOf(
    await chat(stubContext(client), post("/v1/chat/completions", body), signal()),
  );
  assertEquals(answer.headers["Content-Type"], "text/event-stream");
  assertEquals(await textOf(answer), client.chatBody);
  assertEquals(client.chatBodies, [body]);
});

Deno.test("chat refuses a model whose entry lacks /chat/completions, from the cache", async () => {
  const client = new StubClient();
  const ctx = stubContext(client);
  for (let i = 0; i < 2; i++) {
    const err = await assertRejects(
      () => chat(ctx, post("/v1/chat/completions", { model: "gpt-5-codex", messages }), signal()),
      ApiError,
    );
    assertEquals([err.status, err.code, err.param], [400, "unsupported_model", "model"]);
  }
  assertEquals(client.modelCalls, 1);
  assertEquals(client.chatBodies.length, 0);
});

Deno.test("chat validates model and messages", async () => {
  const err = await assertRejects(
    () => chat(stubContext(), post("/v1/chat/completions", { model: "m", messages: [] }), signal()),
    ApiError,
  );
  assertEquals([err.status, err.param], [400, "messages"]);
});
