import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { createHandler, type Handler, type ServerOptions } from "./handler.ts";
import { MAX_BODY_BYTES } from "./body.ts";
import { STUB_MODELS_ANSWER, StubClient } from "./_stub_client.ts";

const BASE = "http://127.0.0.1:8080";

function setup(options: Partial<ServerOptions> = {}) {
  const client = new StubClient();
  const logs: string[] = [];
  const reports: string[] = [];
  const serve: Handler = createHandler(client, {
    host: "127.0.0.1",
    port: 8080,
    log: (line) => logs.push(line),
    report: (line) => reports.push(line),
    loggedIn: () => Promise.resolve(true),
    ...options,
  });
  // As an HTTP/1.1 client would: `Host` from the URL, unless the test sets one (or removes it).
  const handler: Handler = (req, left) => {
    if (!req.headers.has("host") && !req.headers.has("x-test-no-host")) {
      req.headers.set("host", new URL(req.url).host);
    }
    return serve(req, left);
  };
  return { client, handler, logs, reports };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function errorOf(res: Response) {
  assertEquals(res.headers.get("content-type"), "application/json");
  const body = await res.json();
  assertEquals(Object.keys(body), ["error"]);
  return body.error as { message: string; type: string; code: string; param: string | null };
}

/** The data of each SSE event of `text`. */
function events(text: string): string[] {
  return text.split("\n\n").filter((e) => e !== "").map((e) => e.replace(/^data: ?/, ""));
}

Deno.test("routes and methods", async (t) => {
  const { handler, logs } = setup();

  await t.step("unknown path: 404", async () => {
    const res = await handler(new Request(`${BASE}/v2/nothing`));
    assertEquals(res.status, 404);
    assertEquals((await errorOf(res)).code, "unknown_path");
  });

  await t.step("wrong method: 405 with Allow", async () => {
    const res = await handler(new Request(`${BASE}/v1/completions`));
    assertEquals(res.status, 405);
    assertEquals(res.headers.get("allow"), "POST, OPTIONS");
    assertEquals((await errorOf(res)).code, "method_not_allowed");
    const res2 = await handler(post("/v1/models", {}));
    assertEquals(res2.status, 405);
    assertEquals(res2.headers.get("allow"), "GET, OPTIONS");
    await res2.body?.cancel();
  });

  await t.step("OPTIONS answers 204 with Allow", async () => {
    const res = await handler(new Request(`${BASE}/healthz`, { method: "OPTIONS" }));
    assertEquals(res.status, 204);
    assertEquals(res.headers.get("allow"), "GET, OPTIONS");
  });

  await t.step("healthz", async () => {
    const res = await handler(new Request(`${BASE}/healthz`));
    assertEquals(await res.json(), { ok: true, logged_in: true });
  });

  await t.step("one access-log line per request: method, path, status, duration", () => {
    assertEquals(logs.length, 5);
    assertMatch(logs[0]!, /^GET \/v2\/nothing 404 \d+\.\dms$/);
    assertMatch(logs[4]!, /^GET \/healthz 200 \d+\.\dms$/);
  });
});

Deno.test("bad input gets a 400 naming the field, and the next request works", async (t) => {
  const { handler, client } = setup();

  await t.step("bad JSON", async () => {
    const res = await handler(post("/v1/completions", "{nope"));
    assertEquals(res.status, 400);
    const error = await errorOf(res);
    assertEquals([error.code, error.type], ["invalid_json", "invalid_request_error"]);
  });

  await t.step("not UTF-8", async () => {
    const res = await handler(
      new Request(`${BASE}/`, { method: "POST", body: new Uint8Array([0x7b, 0xff, 0x7d]) }),
    );
    assertEquals(res.status, 400);
    assertEquals((await errorOf(res)).code, "invalid_json");
  });

  for (
    const [path, body, param] of [
      ["/", { language: "python" }, "prompt"],
      ["/", { prompt: "x", max_tokens: "many" }, "max_tokens"],
      ["/v1/completions", { prompt: "x", n: 0 }, "n"],
      ["/v1/completions", { prompt: "x", temperature: "hot" }, "temperature"],
      ["/v1/chat/completions", { model: "gpt-4.1", messages: "hi" }, "messages"],
      ["/v1/chat/completions", { model: 4, messages: [{}] }, "model"],
    ] as const
  ) {
    await t.step(`${path} ${param}`, async () => {
      const res = await handler(post(path, body));
      assertEquals(res.status, 400);
      const error = await errorOf(res);
      assertEquals(error.param, param);
      assertStringIncludes(error.message, param);
    });
  }

  await t.step("no upstream call was made, and a good request still works", async () => {
    assertEquals(client.completionCalls.length, 0);
    assertEquals(client.chatBodies.length, 0);
    const res = await handler(post("/", { prompt: "x", language: "python" }));
    assertEquals(await res.text(), "hello world");
  });
});

Deno.test("body size limit: 413 without reading on", async (t) => {
  const { handler } = setup({ maxBodyBytes: 1000 });

  await t.step("declared too large", async () => {
    const res = await handler(post("/", "x".repeat(1001)));
    assertEquals(res.status, 413);
    assertEquals((await errorOf(res)).code, "body_too_large");
  });

  await t.step("streamed without a length: reading stops at the limit", async () => {
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(300));
      },
      cancel() {
        cancelled = true;
      },
    }, { highWaterMark: 0 });
    const res = await handler(new Request(`${BASE}/`, { method: "POST", body }));
    assertEquals(res.status, 413);
    await res.body?.cancel();
    assert(cancelled);
    assert(pulled <= 5, `pulled ${pulled} chunks`);
  });

  await t.step("the default is 1 MiB", () => assertEquals(MAX_BODY_BYTES, 1048576));
});

Deno.test("POST / (seed-compatible)", async (t) => {
  const { handler, client } = setup();

  await t.step("streams choice 0 as plain text, passing every field on", async () => {
    const res = await handler(post("/", {
      prompt: "def fib(n):\n",
      language: "python",
      suffix: "\n",
      max_tokens: 50,
      temperature: 0.1,
      top_p: 0.5,
      stop: ["\n\n"],
      model: "copilot-codex",
    }));
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assertEquals(await res.text(), "hello world");
    assertEquals(client.completionCalls.at(-1), {
      prompt: "def fib(n):\n",
      language: "python",
      suffix: "\n",
      maxTokens: 50,
      temperature: 0.1,
      topP: 0.5,
      stop: ["\n\n"],
      model: "copilot-codex",
    });
  });

  await t.step("n > 1: the other choices follow under separator lines", async () => {
    client.chunks = [
      { index: 0, text: "a", finishReason: null },
      { index: 1, text: "b", finishReason: null },
      { index: 2, text: "c", finishReason: "stop" },
      { index: 0, text: "a2", finishReason: "stop" },
      { index: 1, text: "b2", finishReason: "stop" },
    ];
    const res = await handler(post("/", { prompt: "x", n: 3 }));
    assertEquals(await res.text(), "aa2\n\n--- choice 2 ---\nbb2\n\n--- choice 3 ---\nc");
  });

  await t.step("a failure mid-stream cuts the answer off (the body errors)", async () => {
    client.chunks = [{ index: 0, text: "partial", finishReason: null }];
    client.streamFailure = new CopilotError("completion cut off");
    const res = await handler(post("/", { prompt: "x" }));
    assertEquals(res.status, 200);
    const reader = res.body!.getReader();
    assertEquals(new TextDecoder().decode((await reader.read()).value), "partial");
    let failed = false;
    await reader.read().catch(() => failed = true);
    assert(failed);
  });
});

Deno.test("POST /v1/completions", async (t) => {
  const { handler, client } = setup({ now: () => 1_700_000_000_000 });

  await t.step("not streamed: one OpenAI object with a usage estimate", async () => {
    const res = await handler(post("/v1/completions", { model: "gpt-41-copilot", prompt: "abcd" }));
    assertEquals(res.status, 200);
    const body = await res.json();
    assertMatch(body.id, /^cmpl-[0-9a-f]{32}$/);
    assertEquals(body, {
      id: body.id,
      object: "text_completion",
      created: 1_700_000_000,
      model: "gpt-41-copilot",
      choices: [{ text: "hello world", index: 0, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 },
    });
  });

  await t.step("several prompts: one request each, choices numbered prompt * n + i", async () => {
    client.completionCalls = [];
    const res = await handler(post("/v1/completions", { prompt: ["p1", "p2"], echo: true }));
    const body = await res.json();
    assertEquals(client.completionCalls.map((c) => c.prompt), ["p1", "p2"]);
    assertEquals(body.choices.map((c: { text: string; index: number }) => [c.index, c.text]), [
      [0, "p1hello world"],
      [1, "p2hello world"],
    ]);
  });

  await t.step(
    "streamed: SSE chunks in OpenAI's shape, usage on request, then [DONE]",
    async () => {
      const res = await handler(post("/v1/completions", {
        prompt: "abcd",
        stream: true,
        stream_options: { include_usage: true },
      }));
      assertEquals(res.headers.get("content-type"), "text/event-stream");
      const data = events(await res.text());
      assertEquals(data.at(-1), "[DONE]");
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
      assertEquals(chunks.map((c) => c.choices[0]?.text), ["hello", " world", "", undefined]);
      assertEquals(chunks.map((c) => c.choices[0]?.finish_reason), [null, null, "stop", undefined]);
      for (const chunk of chunks) {
        assertEquals(chunk.object, "text_completion");
        assertEquals(chunk.id, chunks[0].id);
        assertEquals(chunk.model, "gpt-41-copilot");
      }
      assertEquals(chunks[0].choices[0], {
        text: "hello",
        index: 0,
        logprobs: null,
        finish_reason: null,
      });
      assertEquals(chunks.at(-1).usage, {
        prompt_tokens: 1,
        completion_tokens: 3,
        total_tokens: 4,
      });
    },
  );

  await t.step("a failure mid-stream becomes an error event, without [DONE]", async () => {
    client.streamFailure = new CopilotError("Copilot reported an error: overloaded");
    const res = await handler(post("/v1/completions", { prompt: "x", stream: true }));
    const data = events(await res.text());
    client.streamFailure = undefined;
    assertEquals(data.includes("[DONE]"), false);
    assertEquals(JSON.parse(data.at(-1)!).error.message, "Copilot reported an error: overloaded");
  });

  await t.step("Copilot's error event or a cut-off stream becomes an error event", async () => {
    const first = 'data: {"choices":[{"text":"a","index":0}]}\n\n';
    for (
      const [rest, message] of [
        ['data: {"error":{"message":"overloaded"}}\n\n', "Copilot reported an error: overloaded"],
        ["", "completion cut off"],
      ]
    ) {
      client.rawSse = [first, rest!];
      const res = await handler(post("/v1/completions", { prompt: "x", stream: true }));
      const data = events(await res.text());
      client.rawSse = undefined;
      assertEquals(JSON.parse(data[0]!).choices[0].text, "a");
      assertEquals(data.includes("[DONE]"), false);
      assertEquals(JSON.parse(data.at(-1)!).error.message, message);
    }
  });

  await t.step("a client that leaves cancels the upstream stream at once", async () => {
    const { promise: gate, resolve } = Promise.withResolvers<void>();
    client.gate = gate;
    const before = client.cancelled;
    const res = await handler(post("/v1/completions", { prompt: "x", stream: true }));
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    assertEquals(client.cancelled, before + 1);
    resolve();
    client.gate = undefined;
  });
});

Deno.test("upstream failures answer in OpenAI's shape with a fitting status", async (t) => {
  const { handler, client, reports, logs } = setup();
  const cases: [unknown, number, Record<string, string>][] = [
    [new CopilotError("Copilot rate limit reached", { status: 429, retryAfter: 30 }), 429, {
      "retry-after": "30",
    }],
    [new CopilotError("cannot reach proxy: Connection refused"), 502, {}],
    [new CopilotError("no answer within 30 s", { exitCode: ExitCode.Timeout }), 504, {}],
    [new CopilotError("Copilot answered 503: busy", { status: 503 }), 503, {}],
    [new CopilotError("Copilot answered 500: oops", { status: 500 }), 502, {}],
    [new CopilotError("unknown model", { status: 404 }), 404, {}],
    [new CopilotError("not logged in; run `copilot login`", { exitCode: ExitCode.Auth }), 503, {}],
  ];
  for (const [failure, status, headers] of cases) {
    await t.step(`${(failure as Error).message} -> ${status}`, async () => {
      client.failure = failure;
      for (const path of ["/", "/v1/completions", "/v1/chat/completions"]) {
        const res = await handler(
          post(path, { prompt: "x", model: "gpt-4.1", messages: [{ role: "user" }] }),
        );
        assertEquals(res.status, status, path);
        for (const [name, value] of Object.entries(headers)) {
          assertEquals(res.headers.get(name), value);
        }
        const error = await errorOf(res);
        assertEquals(error.message, (failure as Error).message);
      }
    });
  }

  await t.step("a bug is a 500, reported, and the server keeps serving", async () => {
    client.failure = new TypeError("undefined is not a function");
    const res = await handler(post("/", { prompt: "x" }));
    assertEquals(res.status, 500);
    assertEquals((await errorOf(res)).code, "internal_error");
    assertEquals(reports.length, 1);
    assertStringIncludes(reports[0]!, "undefined is not a function");
    client.failure = undefined;
    const ok = await handler(post("/", { prompt: "x" }));
    assertEquals(await ok.text(), "hello world");
  });

  await t.step("5xx reasons go to the access log", () => {
    assert(logs.some((l) => /^POST \/ 502 .*\(cannot reach proxy/.test(l)), logs.join("\n"));
  });
});

Deno.test("POST /v1/chat/completions", async (t) => {
  const { handler, client } = setup();

  await t.step("not streamed: the body goes upstream as sent, the answer comes back", async () => {
    const body = { model: "gpt-4.1", messages: [{ role: "user", content: "hi" }], tools: [] };
    const res = await handler(post("/v1/chat/completions", body));
    assertEquals(res.status, 200);
    assertEquals(await res.json(), { object: "chat.completion", choices: [] });
    assertEquals(client.chatBodies.at(-1), body);
  });

  await t.step("streamed: passed through byte for byte", async () => {
    const res = await handler(
      post("/v1/chat/completions", { model: "gpt-4.1", stream: true, messages: [{}] }),
    );
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    assertEquals(await res.text(), client.chatBody);
  });

  await t.step("a failure mid-stream ends with an error event", async () => {
    client.streamFailure = new CopilotError("answer cut off: connection to x lost");
    const res = await handler(
      post("/v1/chat/completions", { model: "gpt-4.1", stream: true, messages: [{}] }),
    );
    const text = await res.text();
    client.streamFailure = undefined;
    assert(text.startsWith(client.chatBody.slice(0, 10)));
    const last = events(text.slice(10)).at(-1)!;
    assertEquals(JSON.parse(last).error.code, "upstream_unreachable");
  });

  await t.step(
    "a model served only on /responses is bridged there, list cached",
    async () => {
      const res = await handler(
        post("/v1/chat/completions", { model: "gpt-5-codex", messages: [{ role: "user" }] }),
      );
      assertEquals(res.status, 200);
      assertEquals((await res.json()).object, "chat.completion");
      assertEquals(client.posts.at(-1)?.[0], "responses");
      assertEquals(client.posts.filter(([route]) => route === "responses").length, 1);
      assertEquals(client.modelCalls, 1);
    },
  );

  await t.step("an unknown model gets a 400 that lists the valid ones", async () => {
    const res = await handler(post("/v1/chat/completions", { model: "new-model", messages: [{}] }));
    assertEquals(res.status, 400);
    const error = await errorOf(res);
    assertEquals([error.code, error.param], ["model_not_found", "model"]);
    assertEquals(
      error.message,
      "Model 'new-model' is not one of Copilot's chat models (gpt-4.1)",
    );
  });
});

Deno.test("chat still works when the model list fails", async () => {
  const { handler, client } = setup();
  client.models = () => Promise.reject(new CopilotError("models down", { status: 500 }));
  const res = await handler(post("/v1/chat/completions", { model: "gpt-5-codex", messages: [{}] }));
  assertEquals(res.status, 200);
  await res.body?.cancel();
});

Deno.test("GET /v1/models", async () => {
  const { handler } = setup();
  const res = await handler(new Request(`${BASE}/v1/models`));
  assertEquals(await res.json(), STUB_MODELS_ANSWER);
});

Deno.test("access checks run before anything else", async (t) => {
  const { handler, client } = setup({ apiKey: "k3y", allowOrigin: ["http://localhost:3000"] });
  const key = { authorization: "Bearer k3y" };

  await t.step("foreign Host: 403", async () => {
    const res = await handler(post("/", { prompt: "x" }, { ...key, host: "evil.example:8080" }));
    assertEquals(res.status, 403);
    assertEquals((await errorOf(res)).code, "forbidden_host");
  });

  await t.step("foreign Origin: 403 without CORS headers", async () => {
    const res = await handler(
      post("/", { prompt: "x" }, { ...key, origin: "https://evil.example" }),
    );
    assertEquals(res.status, 403);
    assertEquals(res.headers.get("access-control-allow-origin"), null);
    assertEquals((await errorOf(res)).code, "forbidden_origin");
  });

  await t.step("missing or wrong key: 401, even for unknown paths", async () => {
    for (const headers of [{}, { authorization: "Bearer nope" }] as Record<string, string>[]) {
      for (const path of ["/", "/nothing"]) {
        const res = await handler(post(path, { prompt: "x" }, headers));
        assertEquals(res.status, 401);
        assertEquals((await errorOf(res)).type, "authentication_error");
      }
    }
    assertEquals(client.completionCalls.length, 0);
  });

  await t.step("allowed origin: CORS headers, on success and on errors", async () => {
    const origin = { origin: "http://localhost:3000" };
    const ok = await handler(post("/", { prompt: "x" }, { ...key, ...origin }));
    assertEquals(ok.headers.get("access-control-allow-origin"), "http://localhost:3000");
    assertEquals(await ok.text(), "hello world");
    const bad = await handler(post("/", { prompt: 1 }, { ...key, ...origin }));
    assertEquals(bad.status, 400);
    assertEquals(bad.headers.get("access-control-allow-origin"), "http://localhost:3000");
    await bad.body?.cancel();
  });

  await t.step("preflight from an allowed origin: 204 without a key", async () => {
    const res = await handler(
      new Request(`${BASE}/v1/chat/completions`, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:3000",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      }),
    );
    assertEquals(res.status, 204);
    assertEquals(res.headers.get("access-control-allow-origin"), "http://localhost:3000");
    assertEquals(res.headers.get("access-control-allow-headers"), "authorization, content-type");
  });
});

Deno.test("the access log notes a client that left mid-stream", async () => {
  const { handler, client, logs } = setup();
  const { promise: gate, resolve } = Promise.withResolvers<void>();
  client.gate = gate;
  const res = await handler(post("/", { prompt: "x" }));
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel();
  resolve();
  assertMatch(logs.at(-1)!, /^POST \/ 200 \d+\.\dms \(client left\)$/);
  assertEquals(client.cancelled, 1);
});

Deno.test("quiet: no access log", async () => {
  const client = new StubClient();
  const handler = createHandler(client, { host: "127.0.0.1", port: 8080 });
  const res = await handler(
    new Request(`${BASE}/healthz`, { headers: { host: "127.0.0.1:8080" } }),
  );
  assertEquals(await res.json(), { ok: true, logged_in: false });
});

Deno.test("a Host that makes no URL is a 400, not an internal error", async () => {
  const { handler, reports, logs } = setup();
  // What the runtime builds from `Host: 127.0.0.1:65536` is no valid URL.
  const req = {
    url: "http://127.0.0.1:65536/healthz",
    method: "GET",
    headers: new Headers({ host: "127.0.0.1:65536" }),
  } as Request;
  const res = await handler(req);
  assertEquals(res.status, 400);
  assertEquals((await res.json()).error.code, "invalid_host");
  assertEquals(reports, []);
  assertMatch(logs.at(-1)!, /^GET \? 400 \d+\.\dms \(bad Host\)$/);
});

Deno.test("a client that leaves mid-upload is a 499 'client left', not an internal error", async () => {
  const { handler, reports, logs } = setup();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"prompt"'));
      controller.error(new TypeError("connection closed before message completed"));
    },
  });
  const req = new Request(`${BASE}/v1/completions`, { method: "POST", body });
  const res = await handler(req);
  assertEquals(res.status, 499);
  assertEquals(reports, []);
  assertMatch(logs.at(-1)!, /^POST \/v1\/completions 499 \d+\.\dms \(client left\)$/);
});

/** An Anthropic error answer as `[status, error.type, error.message]`, its whole shape checked. */
async function anthropicErrorOf(res: Response): Promise<[number, string, string]> {
  assertEquals(res.headers.get("content-type"), "application/json");
  const body = await res.json();
  assertEquals([Object.keys(body), body.type, Object.keys(body.error)], [
    ["type", "error"],
    "error",
    ["type", "message"],
  ]);
  return [res.status, body.error.type, body.error.message];
}

/** A body that sends `{"mo` and then nothing, until cancelled. */
function stalledBody(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode('{"mo')),
  });
}

const ANTHROPIC_PATHS = [
  "/v1/messages",
  "/messages",
  "/v1/messages?beta=true",
  "/v1/messages/count_tokens",
  "/messages/count_tokens",
];

Deno.test("every failure on the Anthropic routes is Anthropic-shaped, access refusals too", async (t) => {
  const origin = "http://localhost:3000";
  const { handler, client, reports, logs } = setup({
    apiKey: "k3y",
    allowOrigin: [origin],
    bodyMs: 50,
  });
  const key = { "x-api-key": "k3y" };
  const prompt = { model: "gpt-4.1", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
  const missing = "Missing API key: send 'Authorization: Bearer KEY' or 'x-api-key: KEY'";
  const wrong = "Incorrect API key provided";

  await t.step("a missing or wrong key: 401 authentication_error", async () => {
    for (const path of ANTHROPIC_PATHS) {
      for (
        const [headers, message] of [
          [{}, missing],
          [{ "x-api-key": "nope" }, wrong],
          [{ authorization: "Bearer nope" }, wrong],
        ] as const
      ) {
        const res = await handler(post(path, prompt, headers));
        assertEquals(await anthropicErrorOf(res), [401, "authentication_error", message], path);
      }
    }
    assertEquals(client.posts.length, 0);
  });

  await t.step("a foreign Origin or Host: 403 permission_error; no Host: 400", async () => {
    const foreign = await handler(post("/v1/messages", prompt, { ...key, origin: "https://x.io" }));
    assertEquals((await anthropicErrorOf(foreign)).slice(0, 2), [403, "permission_error"]);
    const host = await handler(post("/v1/messages", prompt, { ...key, host: "evil.example:8080" }));
    assertEquals((await anthropicErrorOf(host)).slice(0, 2), [403, "permission_error"]);
    const none = await handler(post("/v1/messages", prompt, { ...key, "x-test-no-host": "1" }));
    assertEquals(await anthropicErrorOf(none), [
      400,
      "invalid_request_error",
      "The request has no Host header",
    ]);
  });

  await t.step("a wrong method: 405 invalid_request_error, with Allow and CORS", async () => {
    const res = await handler(new Request(`${BASE}/v1/messages`, { headers: { ...key, origin } }));
    assertEquals(res.headers.get("allow"), "POST, OPTIONS");
    assertEquals(res.headers.get("access-control-allow-origin"), origin);
    assertEquals(await anthropicErrorOf(res), [
      405,
      "invalid_request_error",
      "/v1/messages takes POST",
    ]);
  });

  await t.step(
    "bad JSON: 400; a body that does not arrive in time: 408 (serve's deadline)",
    async () => {
      for (const path of ["/v1/messages", "/v1/messages/count_tokens"]) {
        const bad = await handler(post(path, "{nope", key));
        assertEquals((await anthropicErrorOf(bad)).slice(0, 2), [400, "invalid_request_error"]);
        const slow = await handler(
          new Request(`${BASE}${path}`, { method: "POST", headers: key, body: stalledBody() }),
        );
        assertEquals(await anthropicErrorOf(slow), [
          408,
          "invalid_request_error",
          "The body did not arrive within 0.05 s",
        ]);
      }
    },
  );

  await t.step("a body over the limit: 413 request_too_large", async () => {
    const res = await handler(post("/v1/messages", prompt, { ...key, "content-length": "1e9" }));
    assertEquals((await anthropicErrorOf(res)).slice(0, 2), [413, "request_too_large"]);
  });

  await t.step("Copilot's 429: rate_limit_error with Retry-After", async () => {
    client.postAnswer = () => {
      throw new CopilotError("Copilot rate limit reached", { status: 429, retryAfter: 30 });
    };
    const res = await handler(post("/v1/messages", prompt, key));
    assertEquals(res.headers.get("retry-after"), "30");
    assertEquals(await anthropicErrorOf(res), [
      429,
      "rate_limit_error",
      "Copilot rate limit reached",
    ]);
  });

  await t.step("a bug: 500 api_error, reported and logged as any route's", async () => {
    client.postAnswer = () => {
      throw new TypeError("undefined is not a function");
    };
    const res = await handler(post("/v1/messages", prompt, key));
    assertEquals(await anthropicErrorOf(res), [
      500,
      "api_error",
      "internal error (see the server's log)",
    ]);
    assertEquals(reports.length, 1);
    assertStringIncludes(reports[0]!, "undefined is not a function");
    client.postAnswer = () => Response.json({});
  });

  await t.step("a client that leaves mid-upload: 499 'client left', as on any route", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"model"'));
        controller.error(new TypeError("connection closed before message completed"));
      },
    });
    const res = await handler(
      new Request(`${BASE}/v1/messages`, { method: "POST", headers: key, body }),
    );
    assertEquals([res.status, await res.text()], [499, ""]);
    assertMatch(logs.at(-1)!, /^POST \/v1\/messages 499 \d+\.\dms \(client left\)$/);
    assertEquals(reports.length, 1);
  });

  await t.step(
    "an unknown path under an Anthropic route answers in Anthropic's shape",
    async () => {
      for (const path of ["/v1/messages/batches", "/v1/messages/", "/messages/count_tokens/x"]) {
        const res = await handler(post(path, prompt, key));
        assertEquals((await anthropicErrorOf(res)).slice(0, 2), [404, "not_found_error"], path);
      }
      const beside = await handler(post("/v1/messagesx", prompt, key));
      assertEquals([beside.status, (await errorOf(beside)).code], [404, "unknown_path"]);
    },
  );

  await t.step("the OpenAI routes, Responses included, keep OpenAI's shape", async () => {
    for (const path of ["/v1/responses", "/responses", "/v1/chat/completions", "/nothing"]) {
      const res = await handler(
        post(path, { model: "gpt-4.1", input: "hi" }, { "x-api-key": "no" }),
      );
      assertEquals(res.status, 401, path);
      const error = await errorOf(res);
      assertEquals([error.type, error.code, error.message], [
        "authentication_error",
        "invalid_api_key",
        wrong,
      ]);
    }
    const method = await handler(new Request(`${BASE}/v1/responses`, { headers: key }));
    assertEquals([method.status, (await errorOf(method)).code], [405, "method_not_allowed"]);
    for (const path of ["/v1/responses", "/v1/embeddings"]) {
      const slow = await handler(
        new Request(`${BASE}${path}`, { method: "POST", headers: key, body: stalledBody() }),
      );
      const error = await errorOf(slow);
      assertEquals([slow.status, error.code, error.message], [
        408,
        "body_timeout",
        "The body did not arrive within 0.05 s",
      ]);
    }
  });
});
