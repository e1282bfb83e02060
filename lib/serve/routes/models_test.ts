import { assertEquals } from "@std/assert";
import { STUB_MODELS_ANSWER, StubClient, stubContext } from "../_stub_client.ts";
import { models } from "./models.ts";

Deno.test("models answers in OpenAI's list shape and fills the cache", async () => {
  const client = new StubClient();
  const ctx = stubContext(client);
  const answer = await models(ctx, new Request("http://x/v1/models"), new AbortController().signal);
  // The completion model in use is listed even when Copilot's list lacks it.
  assertEquals(await answer.json(), STUB_MODELS_ANSWER);
  assertEquals(client.modelCalls, 1);
  assertEquals(await ctx.models.get(), client.models_);
  assertEquals(client.modelCalls, 1);
});
