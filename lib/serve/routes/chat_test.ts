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

Deno.test("chat without a model uses Copilot's chat default", async () => {
  const client = new StubClient();
  client.models_ = [
    { id: "gpt-4o", capabilities: { type: "chat" } },
    { id: "gpt-4.1", is_chat_default: true, capabilities: { type: "chat" } },
  ];
  const answer = streamedOf(
    await chat(stubContext(client), post("/v1/chat/completions", { messages }), signal()),
  );
  await textOf(answer);
  assertEquals(client.chatBodies.map((b) => b.model), ["gpt-4.1"]);
});

Deno.test("chat without a model and no chat default listed: 400 on model", async () => {
  const err = await assertRejects(
    () => chat(stubContext(), post("/v1/chat/completions", { messages }), signal()),
    ApiError,
  );
  assertEquals([err.status, err.param], [400, "model"]);
});

Deno.test("chat refuses an unknown model, listing the chat models that work", async () => {
  const client = new StubClient();
  client.models_ = [
    { id: "gpt-4.1", capabilities: { type: "chat" } },
    { id: "gpt-41-copilot", capabilities: { type: "completion" } },
    { id: "gpt-5-codex", capabilities: { type: "chat" }, supported_endpoints: ["/responses"] },
  ];
  const err = await assertRejects(
    () =>
      chat(stubContext(client), post("/v1/chat/completions", { model: "x", messages }), signal()),
    ApiError,
  );
  assertEquals([err.status, err.code], [400, "model_not_found"]);
  assertEquals(err.message, "Model 'x' is not one of Copilot's chat models (gpt-4.1)");
  assertEquals(client.chatBodies.length, 0);
});
