import { assertEquals, assertRejects } from "@std/assert";
import type { Source } from "../base/pull.ts";
import { merge, startCompletions } from "./merge.ts";
import { StubClient } from "./_stub_client.ts";
import { CopilotError } from "../base/errors.ts";

function sourceOf<T>(values: T[], failure?: unknown): Source<T> & { cancelled: boolean } {
  const reader = {
    cancelled: false,
    read(): Promise<ReadableStreamReadResult<T>> {
      if (values.length > 0) return Promise.resolve({ done: false, value: values.shift()! });
      if (failure) return Promise.reject(failure);
      return Promise.resolve({ done: true, value: undefined });
    },
    cancel(): Promise<void> {
      reader.cancelled = true;
      return Promise.resolve();
    },
  };
  return reader;
}

async function all<T>(source: Source<T>): Promise<T[]> {
  const out: T[] = [];
  for (let r = await source.read(); !r.done; r = await source.read()) out.push(r.value);
  return out;
}

Deno.test("merge tags every value with its source and ends when all have", async () => {
  const values = await all(merge([sourceOf(["a", "b"]), sourceOf(["c"])]));
  assertEquals(values.toSorted(), [[0, "a"], [0, "b"], [1, "c"]]);
  assertEquals(values.filter(([i]) => i === 0), [[0, "a"], [0, "b"]]);
});

Deno.test("merge fails with the first error and cancels the others", async () => {
  const ok = sourceOf(["a", "b", "c"]);
  const merged = merge([ok, sourceOf([], new Error("boom"))]);
  await assertRejects(() => all(merged), Error, "boom");
  assertEquals(ok.cancelled, true);
});

Deno.test("startCompletions: one request per prompt, chunks tagged by prompt", async () => {
  const client = new StubClient();
  const chunks = await startCompletions(
    client,
    { n: 1 },
    ["p1", "p2"],
    new AbortController().signal,
  );
  const values = await all(chunks);
  assertEquals(client.completionCalls, [{ n: 1, prompt: "p1" }, { n: 1, prompt: "p2" }]);
  assertEquals(values.filter(([i]) => i === 1).map(([, c]) => c.text), ["hello", " world", ""]);
});

Deno.test("startCompletions: one prompt is tagged 0 without merging", async () => {
  const client = new StubClient();
  const values = await all(await startCompletions(client, {}, ["p"], new AbortController().signal));
  assertEquals(values.map(([i]) => i), [0, 0, 0]);
});

Deno.test("startCompletions: a failure to start is thrown", async () => {
  const client = new StubClient();
  client.failure = new CopilotError("busy", { status: 503 });
  await assertRejects(
    () => startCompletions(client, {}, ["a", "b"], new AbortController().signal),
    CopilotError,
    "busy",
  );
});
