/**
 * `copilot lsp` scheduling end to end: cancellation mid-stream (the fake sees
 * the abort), superseded requests, the debounce, manual mode, errors shown
 * once, and the pause after a 429.
 */

import { assert, assertEquals, assertRejects } from "@std/assert";
import { loggedIn } from "../fixtures/logged_in.ts";
import {
  CancellationTokenSource,
  type LspSession,
  ResponseError,
  startLsp,
  until,
} from "../fixtures/lsp_client.ts";

const TOKEN = "ghu_lspSchedulingTestToken0000000000000";
const URI = "file:///work/project/fib.py";
const CANCELLED = -32800;

async function ready(lsp: LspSession, initializationOptions: Record<string, unknown> = {}) {
  await lsp.initialize({ initializationOptions });
  await lsp.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: URI, languageId: "python", version: 1, text: "def fib(n):\n" },
  });
}

function getCompletions(lsp: LspSession, token?: CancellationTokenSource) {
  const params = { textDocument: { uri: URI, version: 1 }, position: { line: 1, character: 0 } };
  // An undefined third argument would be sent as a second param.
  return (token
    ? lsp.connection.sendRequest("getCompletions", params, token.token)
    : lsp.connection.sendRequest("getCompletions", params)) as Promise<
      { completions: { displayText: string }[] }
    >;
}

async function assertCancelled(answer: Promise<unknown>) {
  const err = await assertRejects(() => answer, ResponseError);
  assertEquals(err.code, CANCELLED);
}

Deno.test("lsp: cancel and supersede abort the upstream fetch at once", async (t) => {
  await using env = await loggedIn(TOKEN);
  await using lsp = startLsp(env.box.env);
  await ready(lsp, { debounceMs: 0 });
  const { fake } = env;

  await t.step(
    "$/cancelRequest mid-stream answers RequestCancelled; the fake sees the abort",
    async () => {
      fake.config.completions.hold = 1;
      const source = new CancellationTokenSource();
      const answer = assertCancelled(getCompletions(lsp, source));
      await until(() => fake.stats.completions === 1, 5000, "the upstream request");
      await new Promise((resolve) => setTimeout(resolve, 50)); // the first event is in
      const started = performance.now();
      source.cancel();
      await answer;
      await until(() => fake.stats.abortedStreams === 1, 2000, "the abort");
      assert(performance.now() - started < 1000);
      source.dispose();
    },
  );

  await t.step("a newer request on the document supersedes the one in flight", async () => {
    const first = assertCancelled(getCompletions(lsp));
    await until(() => fake.stats.completions === 2, 5000, "the first request");
    const second = getCompletions(lsp);
    await first;
    await until(() => fake.stats.abortedStreams === 2, 2000, "the abort");
    await until(() => fake.stats.completions === 3, 5000, "the second request");
    fake.config.completions.hold = null;
    fake.release();
    assertEquals((await second).completions.length, 1);
  });
  assertEquals(await lsp.stop(), 0);
});

Deno.test("lsp: the debounce sends one request for a burst of keystrokes", async () => {
  await using env = await loggedIn(TOKEN);
  await using lsp = startLsp(env.box.env);
  await ready(lsp, { debounceMs: 250 });
  const started = performance.now();
  const first = assertCancelled(getCompletions(lsp));
  await new Promise((resolve) => setTimeout(resolve, 30));
  const second = assertCancelled(getCompletions(lsp));
  await new Promise((resolve) => setTimeout(resolve, 30));
  const third = getCompletions(lsp);
  await first;
  await second;
  assertEquals((await third).completions.length, 1);
  assert(performance.now() - started >= 250 + 60, "the last one waited for the debounce");
  assertEquals(env.fake.stats.completions, 1);
  // Cycling is an explicit request: no debounce.
  const cycleStart = performance.now();
  await lsp.connection.sendRequest("getCompletionsCycling", {
    textDocument: { uri: URI, version: 1 },
    position: { line: 1, character: 0 },
  });
  assert(performance.now() - cycleStart < 250);
  assertEquals(await lsp.stop(), 0);
});

Deno.test("lsp: manual mode answers only invoked triggers", async () => {
  await using env = await loggedIn(TOKEN);
  await using lsp = startLsp(env.box.env, ["--manual", "--debounce", "0"]);
  await lsp.initialize({ capabilities: { textDocument: { inlineCompletion: {} } } });
  await lsp.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: URI, languageId: "python", version: 1, text: "def fib(n):\n" },
  });
  const ask = (triggerKind: number) =>
    lsp.connection.sendRequest("textDocument/inlineCompletion", {
      textDocument: { uri: URI },
      position: { line: 1, character: 0 },
      context: { triggerKind },
    }) as Promise<{ items: unknown[] }>;
  assertEquals((await ask(2)).items, []);
  assertEquals(env.fake.stats.completions, 0);
  assertEquals((await ask(1)).items.length, 1);
  assertEquals(env.fake.stats.completions, 1);
  assertEquals(await lsp.stop(), 0);
});

Deno.test("lsp: errors are shown once; a 429 pauses requests", async (t) => {
  await using env = await loggedIn(TOKEN);
  await using lsp = startLsp(env.box.env);
  await ready(lsp, { debounceMs: 0 });
  const shown = () => lsp.notifications.filter((n) => n.method === "window/showMessage");

  await t.step("the same error twice reaches the user once", async () => {
    env.fake.failNext({ status: 466 }, { status: 466 });
    assertEquals((await getCompletions(lsp)).completions, []);
    assertEquals((await getCompletions(lsp)).completions, []);
    await until(() => shown().length === 1, 2000, "the message");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assertEquals(shown().length, 1);
    assertEquals((shown()[0]!.params as { type: number }).type, 1);
  });

  await t.step("a 429 answers none and sends nothing until Retry-After passes", async () => {
    env.fake.failNext({ status: 429, retryAfter: 60 });
    const before = env.fake.stats.completions;
    assertEquals((await getCompletions(lsp)).completions, []);
    assertEquals(env.fake.stats.completions, before + 1);
    assertEquals((await getCompletions(lsp)).completions, []);
    assertEquals((await getCompletions(lsp)).completions, []);
    assertEquals(env.fake.stats.completions, before + 1);
    await until(() => shown().length === 2, 2000, "the rate-limit message");
    const { message } = shown()[1]!.params as { message: string };
    assert(message.includes("rate limit"), message);
  });
  assertEquals(await lsp.stop(), 0);
});
