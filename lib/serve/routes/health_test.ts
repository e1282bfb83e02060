import { assertEquals } from "@std/assert";
import { stubContext } from "../_stub_client.ts";
import { health } from "./health.ts";

Deno.test("health says up, and whether a login is present", async () => {
  const req = () => new Request("http://x/healthz");
  const signal = new AbortController().signal;
  for (
    const [loggedIn, expected] of [[() => Promise.resolve(true), true], [
      () => Promise.resolve(false),
      false,
    ], [() => Promise.reject(new Error("unreadable")), false]] as const
  ) {
    const answer = await health(stubContext(undefined, { loggedIn }), req(), signal);
    assertEquals(await answer.json(), { ok: true, logged_in: expected });
  }
});
