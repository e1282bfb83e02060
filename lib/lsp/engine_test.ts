/** Tests of the fetch scheduling: debounce, supersede, cancel, pause. */

import { assertEquals, assertRejects } from "@std/assert";
import { CopilotError } from "../base/errors.ts";
import { Engine } from "./engine.ts";
import { ErrorCode, ResponseError } from "./rpc.ts";
import { pauseFor } from "./upstream.ts";

/** A fetcher that records calls and answers when told (or fails). */
function fakeFetch() {
  const calls: { prompt: string; signal: AbortSignal; answer: (texts: string[]) => void }[] = [];
  const fetch = (request: { prompt: string }, signal: AbortSignal) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ prompt: request.prompt, signal, answer: resolve });
      signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    });
  return { calls, fetch };
}

const never = new AbortController().signal;

async function assertCancelled(promise: Promise<unknown>) {
  const err = await assertRejects(() => promise, ResponseError);
  assertEquals(err.code, ErrorCode.RequestCancelled);
}

Deno.test("Engine: a newer request supersedes the document's one in flight, not others", async () => {
  const { calls, fetch } = fakeFetch();
  const engine = new Engine({ fetch, debounceMs: 0, pauseFor });
  const first = engine.complete("a", { prompt: "1" }, never, false);
  const other = engine.complete("b", { prompt: "x" }, never, false);
  await new Promise((resolve) => setTimeout(resolve, 0));
  const second = engine.complete("a", { prompt: "2" }, never, false);
  await assertCancelled(first);
  assertEquals(calls[0]!.signal.aborted, true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  calls.find((c) => c.prompt === "2")!.answer(["two"]);
  calls.find((c) => c.prompt === "x")!.answer(["ex"]);
  assertEquals(await second, ["two"]);
  assertEquals(await other, ["ex"]);
});

Deno.test("Engine: automatic requests wait for the debounce; a burst sends one", async () => {
  const { calls, fetch } = fakeFetch();
  const engine = new Engine({ fetch, debounceMs: 30, pauseFor });
  const a = engine.complete("d", { prompt: "a" }, never, true);
  const b = engine.complete("d", { prompt: "ab" }, never, true);
  await assertCancelled(a);
  assertEquals(calls.length, 0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assertEquals(calls.map((c) => c.prompt), ["ab"]);
  calls[0]!.answer(["x"]);
  assertEquals(await b, ["x"]);
});

Deno.test("Engine: the caller's signal cancels during the debounce and the fetch", async () => {
  const { calls, fetch } = fakeFetch();
  const engine = new Engine({ fetch, debounceMs: 20, pauseFor });
  const early = new AbortController();
  const debouncing = engine.complete("d", { prompt: "a" }, early.signal, true);
  early.abort();
  await assertCancelled(debouncing);
  const late = new AbortController();
  const fetching = engine.complete("d", { prompt: "b" }, late.signal, false);
  await new Promise((resolve) => setTimeout(resolve, 0));
  late.abort();
  await assertCancelled(fetching);
  assertEquals(calls.length, 1);
  assertEquals(calls[0]!.signal.aborted, true);
});

Deno.test("Engine: a 429 pauses for Retry-After; nothing is fetched meanwhile", async () => {
  let now = 1000;
  let fetched = 0;
  const engine = new Engine({
    fetch: () => {
      fetched++;
      return Promise.reject(new CopilotError("rate limit", { status: 429, retryAfter: 5 }));
    },
    debounceMs: 0,
    pauseFor,
    now: () => now,
  });
  await assertRejects(() => engine.complete("d", { prompt: "" }, never, false), CopilotError);
  assertEquals(engine.pausedUntil, 6000);
  assertEquals(await engine.complete("d", { prompt: "" }, never, false), []);
  assertEquals(fetched, 1);
  now = 6000;
  await assertRejects(() => engine.complete("d", { prompt: "" }, never, false), CopilotError);
  assertEquals(fetched, 2);
});

Deno.test("pauseFor: 429 and 402 pause (10 s and 5 min by default); others do not", () => {
  assertEquals(pauseFor(new CopilotError("x", { status: 429 })), 10);
  assertEquals(pauseFor(new CopilotError("x", { status: 402 })), 300);
  assertEquals(pauseFor(new CopilotError("x", { status: 402, retryAfter: 7 })), 7);
  assertEquals(pauseFor(new CopilotError("x", { status: 500 })), undefined);
  assertEquals(pauseFor(new Error("x")), undefined);
});

Deno.test("Engine: lanes do not supersede each other; closing a document cancels every lane", async () => {
  const { calls, fetch } = fakeFetch();
  const engine = new Engine({ fetch, debounceMs: 0, pauseFor });
  const ghost = engine.complete("file:///a", { prompt: "g" }, never, false);
  const panel = engine.complete("panel file:///a", { prompt: "p" }, never, false);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assertEquals(calls.map((c) => c.signal.aborted), [false, false]);
  engine.cancel("file:///a");
  await assertCancelled(ghost);
  await assertCancelled(panel);
});
