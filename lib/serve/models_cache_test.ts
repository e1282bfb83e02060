import { assertEquals, assertRejects } from "@std/assert";
import { MODELS_FAILURE_TTL_MS, MODELS_TTL_MS, ModelsCache, within } from "./models_cache.ts";

function counting(fail = false) {
  const client = {
    calls: 0,
    fail,
    models(): Promise<unknown[]> {
      client.calls++;
      return client.fail ? Promise.reject(new Error("down")) : Promise.resolve([{ id: "m" }]);
    },
  };
  return client;
}

Deno.test("ModelsCache keeps a list for 10 minutes", async () => {
  let now = 0;
  const client = counting();
  const cache = new ModelsCache(client, () => now);
  assertEquals(await cache.get(), [{ id: "m" }]);
  now = MODELS_TTL_MS;
  await cache.get();
  assertEquals(client.calls, 1);
  now = MODELS_TTL_MS + 1;
  await cache.get();
  assertEquals(client.calls, 2);
});

Deno.test("ModelsCache keeps a failure (undefined) for 1 minute", async () => {
  let now = 0;
  const client = counting(true);
  const cache = new ModelsCache(client, () => now);
  assertEquals(await cache.get(), undefined);
  now = MODELS_FAILURE_TTL_MS;
  await cache.get();
  assertEquals(client.calls, 1);
  now = MODELS_FAILURE_TTL_MS + 1;
  client.fail = false;
  assertEquals(await cache.get(), [{ id: "m" }]);
  assertEquals(client.calls, 2);
});

Deno.test("ModelsCache.set replaces the list without a fetch", async () => {
  const client = counting();
  const cache = new ModelsCache(client, () => 0);
  cache.set([{ id: "x" }]);
  assertEquals(await cache.get(), [{ id: "x" }]);
  assertEquals(client.calls, 0);
});

Deno.test("within: the value, or the fallback after the wait", async () => {
  assertEquals(await within(Promise.resolve(1), 1000, "late"), 1);
  assertEquals(await within(new Promise(() => {}), 1, "late"), "late");
});

Deno.test("ModelsCache.list: the list, or the fetch's own error for as long as the failure is kept", async () => {
  let now = 0;
  let answer: () => Promise<unknown[]> = () =>
    Promise.reject(new Error("auth.json is not valid JSON"));
  const cache = new ModelsCache({ models: () => answer() }, () => now);
  await assertRejects(() => cache.list(), Error, "auth.json is not valid JSON");
  assertEquals(await cache.get(), undefined, "get() still never rejects");
  answer = () => Promise.resolve([{ id: "gpt-4.1" }]);
  now += MODELS_FAILURE_TTL_MS + 1;
  assertEquals(await cache.list(), [{ id: "gpt-4.1" }]);
});
