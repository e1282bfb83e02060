/** Unit tests of serve's GET /usage route. */

import { assertEquals } from "@std/assert";
import { StubClient, stubContext } from "../_stub_client.ts";
import { usage } from "./usage.ts";

Deno.test("GET /usage answers the client's plan and quota report as JSON", async () => {
  const client = new StubClient();
  client.usageReport.quotas = [{
    id: "premium_interactions",
    entitlement: 300,
    used: 29,
    remaining: 271,
    percentRemaining: 90.3,
    unlimited: false,
    overagePermitted: false,
    resetDate: "2099-01-01",
  }];
  const answer = await usage(
    stubContext(client),
    new Request("http://x/usage"),
    AbortSignal.any([]),
  );
  assertEquals(answer.headers.get("content-type"), "application/json");
  assertEquals(await answer.json(), client.usageReport);
});
