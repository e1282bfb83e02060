/**
 * End to end: the agent APIs of `copilot serve` (a child process, a random key) driven by the
 * real SDKs (`@anthropic-ai/sdk`, `openai`, the AI SDK) against the fake Copilot, which is
 * strict about the pass-through headers: the cases of test/fixtures/agents_sdk_cases.ts with
 * Anthropic's model names, plus the bridges, the billing headers and the errors.
 */

import { assertEquals, assertMatch, assertRejects, assertStringIncludes } from "@std/assert";
import * as cases from "../fixtures/agents_sdk_cases.ts";
import { sandbox } from "../fixtures/spawn_cli.ts";
import {
  DEFAULT_AGENT_TEXT,
  DEFAULT_CHAT_TEXT,
  type FakeUpstream,
  startFake,
} from "../fixtures/fake_upstream/mod.ts";
import type { RecordedRequest } from "../fixtures/fake_upstream/upstream.ts";
import { startServe } from "../fixtures/serve_process.ts";

const GITHUB_TOKEN = `ghu_${"AgentsSdkToken".padEnd(36, "0")}`;
const KEY = "agents-test-key";
const TOOL_INPUT = { command: "echo hi" };

function lastTo(fake: FakeUpstream, path: string): RecordedRequest {
  const request = fake.requestsTo(path).at(-1);
  if (request === undefined) throw new Error(`no request to ${path}`);
  return request;
}

Deno.test("copilot serve's agent APIs driven by the SDKs", async (t) => {
  await using fake = await startFake();
  fake.addGitHubToken(GITHUB_TOKEN, "octocat");
  await using box = await sandbox(fake);
  const env = { ...box.env, COPILOT_GITHUB_TOKEN: GITHUB_TOKEN };
  await using server = await startServe(env, ["0", "--api-key", KEY]);
  const base = server.url.replace(/\/$/, "");
  const target: cases.SdkTarget = {
    baseURL: base,
    openaiPath: "/v1",
    apiKey: KEY,
    claudeModel: "claude-sonnet-4-5-20250929",
    responsesModel: "gpt-5.1-codex",
    embeddingModel: "text-embedding-3-small",
    expectText: DEFAULT_AGENT_TEXT,
    toolInput: TOOL_INPUT,
  };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": KEY, ...headers },
      body: JSON.stringify(body),
    });

  for (const run of [cases.anthropicCountTokens, ...cases.PLAIN_CASES]) {
    await t.step(run.name, () => run(target));
  }

  await t.step("native pass-throughs carry the proxies' intents and the initiator", () => {
    const messages = lastTo(fake, "/v1/messages");
    assertEquals(messages.headers["openai-intent"], "messages-proxy");
    assertEquals(messages.headers["x-initiator"], "user");
    assertEquals(messages.headers["copilot-integration-id"], undefined);
    assertEquals((messages.body as { model: string }).model, "claude-sonnet-4.5");
    const responses = lastTo(fake, "/responses");
    assertEquals(responses.headers["openai-intent"], "responses-proxy");
    assertEquals(responses.headers["x-initiator"], "user");
  });

  await t.step("each answer's cost, as Copilot states it, is on its access-log line", () => {
    for (const path of ["/v1/messages", "/v1/responses"]) {
      const logged = server.lines.filter((line) => line.startsWith(`POST ${path} 200 `));
      assertEquals(logged.length > 0, true, `no ${path} line in ${server.lines.join("\n")}`);
      for (const line of logged) assertStringIncludes(line, "(0.00000123 AI credits)");
    }
  });

  await t.step("tool loops: a tool_result turn goes as the agent's", async () => {
    fake.config.agents.toolInput = TOOL_INPUT;
    try {
      await cases.anthropicToolUse(target);
      assertEquals(lastTo(fake, "/v1/messages").headers["x-initiator"], "agent");
      await cases.responsesToolCall(target);
      assertEquals(lastTo(fake, "/responses").headers["x-initiator"], "agent");
    } finally {
      fake.config.agents.toolInput = null;
    }
  });

  await t.step("a chat-only model is bridged from Messages and Responses", async () => {
    const stream = await post("/v1/messages", {
      model: "gpt-4o",
      max_tokens: 100,
      stream: true,
      messages: [{ role: "user", content: "Say hi" }],
    });
    assertEquals(stream.status, 200);
    const sse = await stream.text();
    assertMatch(sse, /^event: message_start\n/);
    assertStringIncludes(sse, "event: message_stop");
    const text = sse.split("\n").filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)))
      .filter((event) => event.delta?.type === "text_delta").map((event) => event.delta.text);
    assertEquals(text.join(""), DEFAULT_CHAT_TEXT);
    const answer = await post("/v1/responses", { model: "gpt-4o", input: "Say hi" });
    const response = await answer.json();
    assertEquals(response.output_text ?? response.output[0].content[0].text, DEFAULT_CHAT_TEXT);
    assertEquals(lastTo(fake, "/chat/completions").headers["x-initiator"], "user");
  });

  await t.step("chat completions of a Responses-only model are bridged to /responses", async () => {
    const openai = new cases.OpenAI({ baseURL: `${base}/v1`, apiKey: KEY, maxRetries: 0 });
    const before = fake.requestsTo("/responses").length;
    const answer = await openai.chat.completions.create({
      model: "gpt-5.1-codex",
      messages: [{ role: "user", content: "Say hi" }],
    });
    assertEquals(answer.choices[0]?.message.content, DEFAULT_AGENT_TEXT);
    const stream = await openai.chat.completions.create({
      model: "gpt-5.1-codex",
      stream: true,
      messages: [{ role: "user", content: "Say hi" }],
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    assertEquals(text, DEFAULT_AGENT_TEXT);
    assertEquals(fake.requestsTo("/responses").length, before + 2);
  });

  await t.step("Messages for a Responses-only model go through /responses", async () => {
    const messages = [{ role: "user", content: "Say hi" }];
    const whole = await post("/v1/messages", { model: "gpt-5.1-codex", max_tokens: 50, messages });
    const answer = await whole.json();
    assertEquals(answer.content.at(-1).text, DEFAULT_AGENT_TEXT, JSON.stringify(answer));
    const stream = await post("/v1/messages", {
      model: "gpt-5.1-codex",
      max_tokens: 50,
      stream: true,
      messages,
    });
    const sse = await stream.text();
    const text = sse.split("\n").filter((line) => line.startsWith("data: "))
      .map((line) => JSON.parse(line.slice(6)))
      .filter((event) => event.delta?.type === "text_delta").map((event) => event.delta.text);
    assertEquals(text.join(""), DEFAULT_AGENT_TEXT);
    assertStringIncludes(sse, "event: message_stop");
    assertEquals(lastTo(fake, "/responses").headers["openai-intent"], "responses-proxy");
  });

  await t.step(
    "plain chat carries X-Initiator, and Copilot-Vision-Request for images",
    async () => {
      const image = { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } };
      const res = await post("/v1/chat/completions", {
        model: "gpt-4o",
        messages: [{ role: "user", content: [{ type: "text", text: "What is this?" }, image] }],
      });
      assertEquals(res.status, 200, await res.clone().text());
      await res.body?.cancel();
      const sent = lastTo(fake, "/chat/completions").headers;
      assertEquals([sent["x-initiator"], sent["copilot-vision-request"]], ["user", "true"]);
    },
  );

  await t.step("an unknown model is a 400 in Anthropic's shape listing the models", async () => {
    const res = await post("/v1/messages", {
      model: "claude-nonesuch-9-20990101",
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
    });
    assertEquals(res.status, 400);
    const body = await res.json();
    assertEquals([body.type, body.error.type], ["error", "invalid_request_error"]);
    assertStringIncludes(body.error.message, "claude-sonnet-4.5");
  });

  await t.step("an overlong prompt (over 1 MiB too) reads as prompt is too long", async () => {
    const res = await post("/v1/messages", {
      model: "claude-sonnet-4-5",
      max_tokens: 10,
      messages: [{ role: "user", content: "x".repeat(1_500_000) }],
    });
    assertEquals(res.status, 400);
    const body = await res.json();
    assertMatch(body.error.message, /^prompt is too long: \d+ tokens > 128000 maximum$/);
  });

  await t.step(
    "a wrong key: Anthropic's authentication_error, OpenAI's shape on /v1/responses",
    async () => {
      const prompt = {
        model: "claude-sonnet-4-5",
        max_tokens: 10,
        messages: [{ role: "user" as const, content: "hi" }],
      };
      // `apiKey` goes as `x-api-key` (Claude Code's ANTHROPIC_API_KEY), `authToken` as a Bearer token.
      for (
        const key of [{ apiKey: "wrong-key", authToken: null }, {
          apiKey: null,
          authToken: "wrong-key",
        }]
      ) {
        const anthropic = new cases.Anthropic({ baseURL: base, ...key, maxRetries: 0 });
        for (
          const call of [
            () => anthropic.messages.create(prompt),
            () => anthropic.messages.countTokens(prompt),
          ]
        ) {
          const err = await assertRejects(call, cases.Anthropic.AuthenticationError);
          assertEquals([err.status, err.type], [401, "authentication_error"]);
          assertEquals(err.error, {
            type: "error",
            error: { type: "authentication_error", message: "Incorrect API key provided" },
          });
        }
      }
      const openai = new cases.OpenAI({
        baseURL: `${base}/v1`,
        apiKey: "wrong-key",
        maxRetries: 0,
      });
      const err = await assertRejects(
        () => openai.responses.create({ model: "gpt-5.1-codex", input: "hi" }),
        cases.OpenAI.AuthenticationError,
      );
      assertEquals([err.status, err.code, err.type], [
        401,
        "invalid_api_key",
        "authentication_error",
      ]);
    },
  );

  await t.step("GET /v1/models/{id} and images mark the vision request", async () => {
    const res = await fetch(`${base}/v1/models/claude-sonnet-4.5`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    assertEquals((await res.json()).id, "claude-sonnet-4.5");
    const missing = await fetch(`${base}/v1/models/nope`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    assertEquals(missing.status, 404);
    await missing.body?.cancel();
    const image = { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" };
    const vision = await post("/v1/messages", {
      model: "claude-sonnet-4-5",
      max_tokens: 10,
      messages: [{ role: "user", content: [{ type: "image", source: image }] }],
    });
    assertEquals(vision.status, 200, await vision.clone().text());
    await vision.body?.cancel();
    assertEquals(lastTo(fake, "/v1/messages").headers["copilot-vision-request"], "true");
  });
});
