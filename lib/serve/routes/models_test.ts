import { assertEquals } from "@std/assert";
import { StubClient, stubContext } from "../_stub_client.ts";
import { models } from "./models.ts";

Deno.test("models answers in OpenAI's list shape and fills the cache", async () => {
  const client = new StubClient();
  const ctx = stubContext(client);
  const answer = await models(ctx, new Request("http://x/v1/models"), new AbortController().signal);
  assertEquals(await answer.json(), {
    object: "list",
    data: [
      { id: "gpt-4.1", object: "model", created: 0, owned_by: "Azure OpenAI" },
      { id: "gpt-5-codex", object: "model", created: 0, owned_by: "github-copilot" },
      // The completion model in use, listed even when Copilot's list lacks it.
      { id: "gpt-41-copilot", object: "model", created: 0, owned_by: "github-copilot" },
    ],
  });
  assertEquals(client.modelCalls, 1);
  assertEquals(await ctx.models.get(), client.models_);
  assertEquals(client.modelCalls, 1);
});
