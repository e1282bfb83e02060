import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "@std/assert";
import { delay } from "@std/async/delay";
import { ServerSentEventParseStream } from "@std/http/server-sent-event-parse-stream";
import {
  CLIENT_NOT_SUPPORTED,
  COPILOT_CLIENT_ID,
  DEFAULT_CHAT_TEXT,
  DEFAULT_COMPLETION_TEXT,
  DEVICE_GRANT_TYPE,
  type FakeUpstream,
  startFake,
} from "./fake_upstream.ts";

const JSON_HEADERS = { accept: "application/json", "content-type": "application/json" };
const CHAT_HEADERS = {
  "content-type": "application/json",
  "editor-version": "Neovim/0.10.1",
  "copilot-integration-id": "vscode-chat",
};

type Json = Record<string, unknown>;

function post(url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) {
  return fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
}

async function requestCode(fake: FakeUpstream): Promise<Json> {
  const res = await post(`${fake.url}/login/device/code`, {
    client_id: COPILOT_CLIENT_ID,
    scope: "read:user",
  });
  assertEquals(res.status, 200);
  return await res.json();
}

async function poll(
  fake: FakeUpstream,
  deviceCode: unknown,
  overrides: Json = {},
): Promise<{ status: number; body: Json }> {
  const res = await post(`${fake.url}/login/oauth/access_token`, {
    client_id: COPILOT_CLIENT_ID,
    device_code: deviceCode,
    grant_type: DEVICE_GRANT_TYPE,
    ...overrides,
  });
  return { status: res.status, body: await res.json() };
}

function exchange(fake: FakeUpstream, authorization: string): Promise<Response> {
  return fetch(`${fake.url}/copilot_internal/v2/token`, {
    headers: {
      authorization,
      accept: "application/json",
      "x-github-api-version": "2025-04-01",
      "editor-version": "vscode/1.104.3",
      "editor-plugin-version": "copilot-chat/0.26.7",
      "user-agent": "GitHubCopilotChat/0.26.7",
    },
  });
}

async function sessionToken(fake: FakeUpstream, githubToken = "ghu_test"): Promise<string> {
  fake.addGitHubToken(githubToken, "octocat");
  const res = await exchange(fake, `token ${githubToken}`);
  return (await res.json()).token;
}

function complete(
  fake: FakeUpstream,
  token: string,
  body: Json = {},
  model = "gpt-41-copilot",
): Promise<Response> {
  return fetch(`${fake.url}/v1/engines/${model}/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "x-request-id": crypto.randomUUID(),
    },
    body: JSON.stringify({
      prompt: "# Path: fib.py\ndef fib(n):\n",
      suffix: "",
      max_tokens: 500,
      n: 1,
      stop: ["\n\n\n"],
      stream: true,
      ...body,
    }),
  });
}

/** The `data` of every SSE event in `body`, parsed the way the spec says. */
async function eventData(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const stream = body.pipeThrough<{ data: string }>(
    new ServerSentEventParseStream({ ignoreComments: true }),
  );
  return (await Array.fromAsync(stream)).map((event) => event.data);
}

/** Joins each choice's text, by `index`, over completion events. */
function choiceTexts(data: string[]): string[] {
  const texts: string[] = [];
  for (const item of data.filter((entry) => entry !== "[DONE]")) {
    for (const choice of JSON.parse(item).choices ?? []) {
      texts[choice.index] = (texts[choice.index] ?? "") + (choice.text ?? "");
    }
  }
  return texts;
}

/** Reads until the text so far contains `marker`. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  marker: string,
): Promise<string> {
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`Cannot find ${JSON.stringify(marker)}: stream ended`);
    seen += decoder.decode(value, { stream: true });
  }
  return seen;
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error("Cannot wait longer: condition still false after 1 s");
    await delay(5);
  }
}

Deno.test("device flow", async (t) => {
  await t.step("pending, slow_down with a larger interval, then a ghu_ token", async () => {
    await using fake = await startFake({ device: { pending: 1, slowDownAt: [2] } });
    const code = await requestCode(fake);
    assertMatch(String(code.device_code), /^[0-9a-f]{40}$/);
    assertMatch(String(code.user_code), /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assertEquals([code.interval, code.expires_in], [0.05, 900]);

    assertEquals(await poll(fake, code.device_code), {
      status: 200,
      body: {
        error: "authorization_pending",
        error_description: "The authorization request is still pending.",
        error_uri:
          "https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow",
      },
    });
    await delay(50);
    const slowDown = await poll(fake, code.device_code);
    assertEquals([slowDown.body.error, slowDown.body.interval], ["slow_down", 0.1]);
    await delay(100);
    const success = await poll(fake, code.device_code);
    assertEquals(success, {
      status: 200,
      body: { access_token: fake.config.device.accessToken, token_type: "bearer", scope: "" },
    });
    assertMatch(String(success.body.access_token), /^ghu_[A-Za-z0-9]{36}$/);
    assertEquals([fake.stats.devicePolls, fake.stats.earlyPolls], [3, 0]);

    for (const scheme of ["TOKEN", "bearer"]) {
      const user = await fetch(`${fake.url}/user`, {
        headers: { authorization: `${scheme} ${success.body.access_token}` },
      });
      assertEquals((await user.json()).login, "octocat");
    }
    assertEquals(fake.stats.users, 2);
  });

  await t.step("counts early polls and answers them with slow_down", async () => {
    await using fake = await startFake({ device: { interval: 0.3, pending: 5 } });
    const code = await requestCode(fake);
    assertEquals((await poll(fake, code.device_code)).body.error, "authorization_pending");
    const early = await poll(fake, code.device_code);
    assertEquals([early.body.error, early.body.interval], ["slow_down", 0.35]);
    fake.config.device.slowDownWhenEarly = false;
    assertEquals((await poll(fake, code.device_code)).body.error, "authorization_pending");
    assertEquals([fake.stats.devicePolls, fake.stats.earlyPolls], [3, 2]);
  });

  await t.step("form bodies, form answers without Accept JSON, wrong ids", async () => {
    await using fake = await startFake();
    const url = `${fake.url}/login/oauth/access_token`;
    const res = await fetch(`${fake.url}/login/device/code`, {
      method: "POST",
      body: new URLSearchParams({ client_id: COPILOT_CLIENT_ID }),
    });
    assertEquals(
      res.headers.get("content-type"),
      "application/x-www-form-urlencoded; charset=utf-8",
    );
    const code = new URLSearchParams(await res.text());
    assertEquals(code.get("interval"), "0.05");
    const params = {
      client_id: COPILOT_CLIENT_ID,
      device_code: code.get("device_code")!,
      grant_type: DEVICE_GRANT_TYPE,
    };
    const formPoll = async (overrides: Record<string, string>) => {
      const answer = await fetch(url, {
        method: "POST",
        body: new URLSearchParams({ ...params, ...overrides }),
      });
      return [answer.status, new URLSearchParams(await answer.text()).get("error")];
    };
    assertEquals(await formPoll({ grant_type: "authorization_code" }), [
      200,
      "unsupported_grant_type",
    ]);
    assertEquals(await formPoll({ client_id: "Iv1.0000000000000000" }), [
      200,
      "incorrect_client_credentials",
    ]);
    assertEquals(await formPoll({ device_code: "0".repeat(40) }), [200, "incorrect_device_code"]);

    fake.config.device.errorStatus = 400;
    assertEquals((await poll(fake, params.device_code, { client_id: "" })).status, 400);
    const jsonAsText = await post(url, params, { accept: "application/json" });
    assertEquals((await jsonAsText.json()).error, "incorrect_client_credentials");
  });

  await t.step("access_denied, token_expired and expiry", async () => {
    await using fake = await startFake({ device: { pending: 0, outcome: "access_denied" } });
    const denied = await requestCode(fake);
    assertEquals((await poll(fake, denied.device_code)).body.error, "access_denied");
    fake.config.device.outcome = "token_expired";
    assertEquals(
      (await poll(fake, (await requestCode(fake)).device_code)).body.error,
      "token_expired",
    );
    fake.config.device.expiresIn = 0.02;
    const expiring = await requestCode(fake);
    await delay(30);
    assertEquals((await poll(fake, expiring.device_code)).body.error, "expired_token");
  });
});

Deno.test("token exchange", async (t) => {
  await using fake = await startFake({ exchange: { refreshIn: 2 } });
  fake.addGitHubToken("ghu_good", "octocat");

  await t.step("issues tid=...:SIG session tokens and records the client's headers", async () => {
    const res = await exchange(fake, "Token ghu_good");
    assertEquals(res.status, 200);
    const body = await res.json();
    const match = /^tid=[0-9a-f]{32};exp=(\d+);sku=[a-z_]+;[^:]*8kp=1:[0-9a-f]{64}$/.exec(
      body.token,
    );
    assert(match, body.token);
    assertEquals(Number(match?.[1]), body.expires_at);
    assertEquals(body.refresh_in, 2);
    assertEquals(body.endpoints.api, fake.url);
    assertEquals(body.endpoints.proxy, fake.url);
    const [recorded] = fake.requestsTo("/copilot_internal/v2/token");
    assertEquals(recorded?.headers["x-github-api-version"], "2025-04-01");
    assertEquals(recorded?.headers["editor-version"], "vscode/1.104.3");
    assertEquals(recorded?.headers["editor-plugin-version"], "copilot-chat/0.26.7");
    assertEquals(recorded?.headers["user-agent"], "GitHubCopilotChat/0.26.7");
  });

  await t.step("omits endpoints on request", async () => {
    fake.config.exchange.endpoints = null;
    const body = await (await exchange(fake, "token ghu_good")).json();
    assertEquals("endpoints" in body, false);
    fake.config.exchange.endpoints = {};
  });

  await t.step("error modes", async () => {
    const cases = [
      ["bad_credentials", 401, "Bad credentials"],
      ["no_access", 403, "Resource not accessible by integration"],
      ["rate_limited", 403, "API rate limit exceeded for user ID 1."],
      ["not_found", 404, "Not Found"],
    ] as const;
    for (const [mode, status, message] of cases) {
      fake.config.exchange.mode = mode;
      const res = await exchange(fake, "token ghu_good");
      const body = await res.json();
      assertEquals([res.status, body.message], [status, message]);
      if (mode === "no_access") assertStringIncludes(body.error_details.url, "{EDITOR}");
      if (mode === "not_found") assertEquals(body.status, "404");
    }
    fake.config.exchange.mode = "server_error";
    const failed = await exchange(fake, "token ghu_good");
    assertEquals(failed.status, 500);
    await failed.body?.cancel();
    fake.config.exchange.mode = "ok";
  });

  await t.step("401 for unknown GitHub tokens, 404 for gho_ tokens", async () => {
    const unknown = await exchange(fake, "token ghu_unknown");
    assertEquals([unknown.status, (await unknown.json()).message], [401, "Bad credentials"]);
    fake.addGitHubToken("gho_from_gh_cli", "octocat");
    const oauthApp = await exchange(fake, "token gho_from_gh_cli");
    assertEquals([oauthApp.status, (await oauthApp.json()).status], [404, "404"]);
    assertEquals(fake.stats.exchanges, 9);
  });

  await t.step("copilot_internal/user", async () => {
    const res = await fetch(`${fake.url}/copilot_internal/user`, {
      headers: { authorization: "token ghu_good" },
    });
    const body = await res.json();
    assertEquals(body.copilot_plan, "individual");
    assertEquals(body.quota_snapshots.premium_interactions.remaining, 271);
  });
});

Deno.test("completions", async (t) => {
  await using fake = await startFake();
  const token = await sessionToken(fake);

  await t.step("streams the text in several events with a request id", async () => {
    const res = await complete(fake, token);
    assertEquals(res.headers.get("content-type"), "text/event-stream");
    assertMatch(res.headers.get("x-github-request-id") ?? "", /^[0-9A-F]{4}:[0-9A-F]{4}:/);
    const data = await eventData(res.body!);
    assertEquals(choiceTexts(data), [DEFAULT_COMPLETION_TEXT]);
    assert(data.length >= 5, `only ${data.length} events`);
    assertEquals(data.at(-1), "[DONE]");
    const [recorded] = fake.requestsTo("/v1/engines/gpt-41-copilot/completions");
    assertEquals((recorded?.body as Json).prompt, "# Path: fib.py\ndef fib(n):\n");
    assertEquals(recorded?.headers.authorization, `Bearer ${token}`);
  });

  await t.step("cuts the text at the request's stop strings", async () => {
    fake.config.completions.text = "x = 1\ny = 2";
    const res = await complete(fake, token, { stop: ["\n"] });
    assertEquals(choiceTexts(await eventData(res.body!)), ["x = 1"]);
    fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
  });

  await t.step("401 unless the session token is live", async () => {
    const answer = async (res: Promise<Response>) => {
      const received = await res;
      return [received.status, await received.text()];
    };
    assertEquals(await answer(complete(fake, "ghu_test")), [401, "unauthorized: token invalid"]);
    fake.expireSessionTokens();
    assertEquals(await answer(complete(fake, token)), [401, "unauthorized: token expired"]);
    assertEquals((await answer(complete(fake, await sessionToken(fake))))[0], 200);
    fake.config.exchange.lifetime = 0.02;
    const shortLived = await sessionToken(fake);
    await delay(30);
    assertEquals(await answer(complete(fake, shortLived)), [401, "unauthorized: token expired"]);
    fake.config.exchange.lifetime = 1800;
  });

  await t.step("400 for non-streamed or non-JSON requests, 404 for unknown engines", async () => {
    const live = await sessionToken(fake);
    const nonStreamed = await complete(fake, live, { stream: false });
    assertEquals([nonStreamed.status, await nonStreamed.text()], [
      400,
      "bad request: stream must be true",
    ]);
    const asText = await fetch(`${fake.url}/v1/engines/gpt-41-copilot/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${live}` },
      body: JSON.stringify({ prompt: "x", stream: true }),
    });
    assertEquals(asText.status, 400);
    await asText.body?.cancel();
    const unknown = await complete(fake, live, {}, "no-such-model");
    assertEquals(unknown.status, 404);
    await unknown.body?.cancel();
  });
});

Deno.test("completion streams on the wire", async (t) => {
  await using fake = await startFake();
  const token = await sessionToken(fake);
  const rawChunks = async (config: Partial<typeof fake.config.completions>, body: Json = {}) => {
    Object.assign(fake.config.completions, config);
    const res = await complete(fake, token, body);
    return await Array.fromAsync(res.body!);
  };

  await t.step("splits land inside UTF-8 characters and between \\r and \\n", async () => {
    const chunks = await rawChunks({ lineEnding: "\r\n", splitAtHazards: true });
    const endsInLeadByte = chunks.some((chunk) => chunk.at(-1)! >= 0xc0);
    const splitsCrLf = chunks.some((chunk, at) =>
      chunk.at(-1) === 0x0d && chunks[at + 1]?.[0] === 0x0a
    );
    assert(endsInLeadByte, "no read ends inside a UTF-8 character");
    assert(splitsCrLf, "no read ends between \\r and \\n");
    const data = await eventData(ReadableStream.from(chunks));
    assertEquals(choiceTexts(data), [DEFAULT_COMPLETION_TEXT]);
  });

  await t.step("splits every K bytes", async () => {
    const chunks = await rawChunks({ lineEnding: "\n", splitAtHazards: false, splitEvery: 4 });
    assert(chunks.length > 50, `only ${chunks.length} reads`);
    assert(chunks.every((chunk) => chunk.length <= 4));
    fake.config.completions.splitEvery = 0;
  });

  await t.step("n = 2 interleaves choices by index", async () => {
    fake.config.completions.text = ["a1\na2\na3", "b1 → é\nb2"];
    const res = await complete(fake, token, { n: 2 });
    const data = await eventData(res.body!);
    const indexes = data.filter((entry) => entry !== "[DONE]")
      .flatMap((entry) => JSON.parse(entry).choices)
      .filter((choice: Json) => choice.text !== "")
      .map((choice: Json) => choice.index);
    assertEquals(indexes, [0, 1, 0, 1, 0]);
    assertEquals(choiceTexts(data), ["a1\na2\na3", "b1 → é\nb2"]);
    fake.config.completions.text = DEFAULT_COMPLETION_TEXT;
  });

  await t.step("odd events: comments, no space, CR endings, errors, no [DONE]", async () => {
    const chunks = await rawChunks({
      lineEnding: "\r",
      comments: true,
      noSpace: true,
      multiLineData: true,
      emptyText: true,
      references: true,
      errorEvent: "upstream hiccup",
      finishReason: "content_filter",
      trailingError: "late failure",
    });
    const raw = new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
    assertStringIncludes(raw, ": keep-alive\r");
    assertStringIncludes(raw, "data:{\r");
    assert(!raw.includes("\n\r") && !raw.includes("[DONE]"));
    assert(raw.endsWith('{"error":{"message":"late failure","type":"upstream_error"}}\n'));
    const events = (await eventData(ReadableStream.from(chunks)))
      .filter((entry) => entry.startsWith("{") && entry.includes("\n"))
      .map((entry) => JSON.parse(entry));
    assertEquals(events[0].choices, undefined);
    assert(events[0].copilot_references);
    assertEquals(events[1].choices[0].text, undefined);
    assertEquals(events[2].choices[0].text, "");
    assertEquals(events.at(-2).error.message, "upstream hiccup");
    assertEquals(events.at(-1).choices[0].finish_reason, "content_filter");
  });
});

Deno.test("stream timing, holds, drops and aborts", async (t) => {
  await using fake = await startFake();
  const token = await sessionToken(fake);

  await t.step("delays the headers and then the first byte", async () => {
    // The gaps keep the stream open, so the client's cancel finds it unfinished.
    Object.assign(fake.config.completions, { headersDelayMs: 60, firstByteDelayMs: 60, gapMs: 50 });
    const started = performance.now();
    const res = await complete(fake, token);
    const headersAt = performance.now() - started;
    const reader = res.body!.getReader();
    await reader.read();
    const firstByteAt = performance.now() - started;
    await reader.cancel();
    assert(headersAt >= 55, `headers after ${headersAt} ms`);
    assert(firstByteAt - headersAt >= 45, `first byte ${firstByteAt - headersAt} ms after headers`);
    Object.assign(fake.config.completions, { headersDelayMs: 0, firstByteDelayMs: 0, gapMs: 0 });
    await waitFor(() => fake.stats.abortedStreams === 1);
  });

  await t.step("holds the stream until released", async () => {
    fake.config.completions.hold = 1;
    const res = await complete(fake, token);
    const reader = res.body!.getReader();
    const first = await readUntil(reader, "\n\n");
    assertStringIncludes(first, "if n < 2:");
    assert(!first.includes("return n"));
    fake.release();
    const rest = await readUntil(reader, "[DONE]");
    assertStringIncludes(rest, "return fib(n - 1) + fib(n - 2)");
    assertEquals((await reader.read()).done, true);
  });

  await t.step("counts a client that cancels a held stream", async () => {
    const res = await complete(fake, token);
    const reader = res.body!.getReader();
    await readUntil(reader, "\n\n");
    await reader.cancel();
    await waitFor(() => fake.stats.abortedStreams === 2);
    fake.config.completions.hold = null;
  });

  await t.step("drops the connection before [DONE]", async () => {
    fake.config.completions.dropAfter = 2;
    const res = await complete(fake, token);
    await assertRejects(() => res.text(), TypeError);
    fake.config.completions.dropAfter = null;
  });

  await t.step("queued failures come first, in order", async () => {
    fake.failNext(
      { status: 429, retryAfter: 2 },
      { status: 466 },
      { status: 503 },
      { status: 402, body: '{"error":{"message":"quota"}}' },
    );
    const expected = [
      [429, "2", "rate limited: "],
      [466, null, CLIENT_NOT_SUPPORTED],
      [503, null, "service unavailable: "],
      [402, null, '{"error":{"message":"quota"}}'],
      [200, null, 'data: {"id":"cmpl-'],
    ] as const;
    for (const [status, retryAfter, prefix] of expected) {
      const res = await complete(fake, token);
      const body = await res.text();
      assertEquals([res.status, res.headers.get("retry-after")], [status, retryAfter]);
      assert(body.startsWith(prefix), body);
      assert(res.headers.has("x-github-request-id"));
    }
    fake.config.completions.requestIdHeader = false;
    fake.failNext({ status: 403 });
    const anonymous = await complete(fake, token);
    assertEquals([anonymous.status, anonymous.headers.get("x-github-request-id")], [403, null]);
    await anonymous.body?.cancel();
  });

  await t.step("close() drops held streams instead of waiting for them", async () => {
    fake.config.completions.hold = 1;
    const res = await complete(fake, token);
    const reader = res.body!.getReader();
    await readUntil(reader, "\n\n");
    await fake.close();
    await assertRejects(() => readUntil(reader, "[DONE]"), TypeError);
  });
});

Deno.test("chat and models", async (t) => {
  await using fake = await startFake();
  const token = await sessionToken(fake);
  const auth = { ...CHAT_HEADERS, authorization: `Bearer ${token}` };
  const chat = (body: Json, headers: Record<string, string> = auth) =>
    post(`${fake.url}/chat/completions`, {
      model: "gpt-4.1",
      messages: [{ role: "user", content: "fib?" }],
      ...body,
    }, headers);

  await t.step("plain-text 400 without Editor-Version or Copilot-Integration-Id", async () => {
    const without = (name: string) => {
      const headers: Record<string, string> = { ...auth };
      delete headers[name];
      return headers;
    };
    for (
      const [headers, message] of [
        [without("editor-version"), "bad request: missing Editor-Version header for IDE auth"],
        [
          without("copilot-integration-id"),
          "bad request: missing required Copilot-Integration-Id header",
        ],
        [
          { ...auth, "editor-version": "Notepad/1.0" },
          "bad request: unknown Editor-Version header for IDE auth",
        ],
      ] as const
    ) {
      const res = await chat({}, headers);
      assertEquals([res.status, await res.text()], [400, message]);
    }
    const models = await fetch(`${fake.url}/models`, { headers: without("editor-version") });
    assertEquals(models.status, 400);
    await models.body?.cancel();
  });

  await t.step("401 for a stale session token", async () => {
    const res = await chat({}, { ...auth, authorization: "Bearer tid=1;exp=1:00" });
    assertEquals([res.status, await res.text()], [401, "unauthorized: token invalid"]);
  });

  await t.step("models list with odd entries", async () => {
    const res = await fetch(`${fake.url}/models`, { headers: auth });
    const { data } = await res.json();
    const types = new Set(data.map((model: Json) => (model.capabilities as Json)?.type));
    assert(types.has("chat") && types.has("completion"));
    assert(data.some((model: Json) => model.vendor === "Nimbus Labs"));
    assert(data.some((model: Json) => (model.policy as Json)?.state === "requires_consent"));
    assertEquals(fake.stats.models, 2, "the denied request of the step before counts too");
  });

  await t.step("streams OpenAI chunks: empty choices, usage, [DONE]", async () => {
    const res = await chat({ stream: true });
    const data = await eventData(res.body!);
    assertEquals(data.at(-1), "[DONE]");
    const chunks = data.slice(0, -1).map((entry) => JSON.parse(entry));
    assertEquals(chunks[0].choices, []);
    assert(chunks.at(-1).usage.total_tokens > 0);
    const text = chunks.flatMap((chunk) => chunk.choices).map((choice) =>
      choice.delta.content ?? ""
    )
      .join("");
    assertEquals(text, DEFAULT_CHAT_TEXT);
  });

  await t.step("answers without streaming", async () => {
    const body = await (await chat({})).json();
    assertEquals(body.choices[0].message, { role: "assistant", content: DEFAULT_CHAT_TEXT });
  });

  await t.step("466 as JSON, unsupported models as 400", async () => {
    fake.failNext({ status: 466 });
    const old = await chat({ stream: true });
    assertEquals([old.status, (await old.json()).error.message], [466, CLIENT_NOT_SUPPORTED]);
    for (
      const [model, code] of [
        ["gpt-4o-copilot", "model_not_supported"],
        ["gpt-5-codex", "unsupported_api_for_model"],
      ]
    ) {
      const res = await chat({ model });
      assertEquals([res.status, (await res.json()).error.code], [400, code]);
    }
    assertEquals(fake.stats.chats, 9);
  });

  await t.step("accepts a model's policy", async () => {
    const res = await post(`${fake.url}/models/claude-sonnet-4/policy`, { state: "enabled" }, auth);
    assertEquals(await res.json(), { state: "enabled" });
    const claude = fake.config.models.find((model) => model.id === "claude-sonnet-4");
    assertEquals((claude?.policy as Json).state, "enabled");
  });
});

Deno.test("standalone: prints its URL and a token it accepts", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./fake_upstream.ts", import.meta.url).href],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  while (printed.split("\n").length < 3) printed += (await reader.read()).value ?? "";
  const [url, token] = printed.split("\n");
  const res = await fetch(`${url}/user`, { headers: { authorization: `token ${token}` } });
  assertEquals((await res.json()).login, "octocat");
  child.kill("SIGTERM");
  await reader.cancel();
  await child.status;
});
