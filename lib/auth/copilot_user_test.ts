/**
 * Unit tests of `copilot_internal/user` (copilot_user.ts) and the session's
 * call of it after each exchange, against a two-route GitHub API on loopback.
 */

import { assertEquals, assertRejects } from "@std/assert";
import { CopilotError } from "../base/errors.ts";
import { readSettings } from "../base/settings.ts";
import type { GitHubCredential } from "./credential.ts";
import { cachedCopilotUser, copilotUser, fetchCopilotUser } from "./copilot_user.ts";
import { Session } from "./session.ts";

const TOKEN = "ghu_copilotUserTest000000000000000000000";
/** The exchange and `copilot_internal/user`; the latter answers 500 when `userFails`. */
function startApi(userFails = false) {
  const stats = { exchanges: 0, copilotUsers: 0, userHeaders: [] as Headers[] };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/copilot_internal/v2/token") {
      stats.exchanges++;
      return Response.json({ token: `tid=${stats.exchanges}:ab`, expires_at: 0, refresh_in: 1500 });
    }
    stats.copilotUsers++;
    stats.userHeaders.push(req.headers);
    if (userFails) return new Response("Internal Server Error", { status: 500 });
    return Response.json({ copilot_plan: "business", quota_reset_date: "2099-01-01" });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    stats,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const CREDENTIAL: GitHubCredential = {
  token: TOKEN,
  kind: "env",
  source: "env",
  host: "github.com",
};

Deno.test("the session fetches copilot_internal/user once per exchange and caches it", async () => {
  await using fake = startApi();
  const dir = await Deno.makeTempDir({ prefix: "copilot-user-" });
  try {
    const settings = readSettings({
      COPILOT_API_URL: fake.url,
      COPILOT_CONFIG_DIR: dir,
      COPILOT_GITHUB_TOKEN: TOKEN,
    });
    const session = new Session({ settings, findCredentials: () => Promise.resolve([CREDENTIAL]) });
    const { token } = await session.get();
    assertEquals([fake.stats.exchanges, fake.stats.copilotUsers], [1, 1]);
    assertEquals((await cachedCopilotUser(dir, token))?.copilot_plan, "business");
    // Read from the cache: no second request.
    assertEquals((await copilotUser(settings, session)).copilot_plan, "business");
    assertEquals(fake.stats.copilotUsers, 1);
    const [headers] = fake.stats.userHeaders;
    assertEquals(headers!.get("authorization"), `Bearer ${TOKEN}`); // the default preset's scheme
    assertEquals(headers!.get("accept"), "application/json");
    // Another session token: the cache does not apply.
    assertEquals(await cachedCopilotUser(dir, "tid=other"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing copilot_internal/user never fails the exchange", async () => {
  await using fake = startApi(true);
  const dir = await Deno.makeTempDir({ prefix: "copilot-user-" });
  try {
    const settings = readSettings({ COPILOT_API_URL: fake.url, COPILOT_CONFIG_DIR: dir });
    const session = new Session({ settings, findCredentials: () => Promise.resolve([CREDENTIAL]) });
    const { token } = await session.get();
    assertEquals(token, "tid=1:ab");
    assertEquals(fake.stats.copilotUsers, 1);
    const err = await assertRejects(() => fetchCopilotUser(CREDENTIAL, settings), CopilotError);
    assertEquals(err.status, 500);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
