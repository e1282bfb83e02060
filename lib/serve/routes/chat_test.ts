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

Deno.test("chat refuses a model served on neither chat nor /responses, from the cache", async () => {
  const client = new StubClient();
  client.models_ = [{
    id: "claude-x",
    capabilities: { type: "chat" },
    supported_endpoints: ["/v1/messages"],
  }];
  const ctx = stubContext(client);
  for (let i = 0; i < 2; i++) {
    const err = await assertRejects(
      () => chat(ctx, post("/v1/chat/completions", { model: "claude-x", messages }), signal()),
      ApiError,
    );
    assertEquals([err.status, err.code, err.param], [400, "unsupported_model", "model"]);
  }
  assertEquals(client.modelCalls, 1);
  assertEquals(client.chatBodies.length + client.posts.length, 0);
});

Deno.test("chat bridges a Responses-only model through /responses, streamed", async () => {
  const client = new StubClient();
  const events = [
    { type: "response.created", response: { id: "resp_1" } },
    { type: "response.output_text.delta", output_index: 0, delta: "Hel" },
    { type: "response.output_text.delta", output_index: 0, delta: "lo" },
    {
      type: "response.completed",
      response: { status: "completed", usage: { input_tokens: 3, output_tokens: 2 } },
    },
  ];
  client.postAnswer = () =>
    new Response(events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join(""));
  const body = {
    model: "gpt-5-codex",
    stream: true,
    messages: [{ role: "system", content: "Be brief." }, ...messages],
  };
  const text = await textOf(
    await chat(stubContext(client), post("/v1/chat/completions", body), signal()),
  );
  const [route, sent, headers] = client.posts[0]!;
  assertEquals(route, "responses");
  assertEquals(sent.instructions, "Be brief.");
  assertEquals(sent.input, [{ role: "user", content: "hi" }]);
  assertEquals(headers["X-Initiator"], "user");
  const data = text.split("\n\n").filter(Boolean).map((e) => e.replace(/^data: /, ""));
  assertEquals(data.at(-1), "[DONE]");
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  assertEquals(chunks.map((c) => c.choices[0].delta.content ?? "").join(""), "Hello");
  assertEquals(chunks.at(-1).choices[0].finish_reason, "stop");
  assertEquals(chunks.at(-1).usage.total_tokens, 5);
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
