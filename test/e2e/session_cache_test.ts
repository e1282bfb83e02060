/**
 * The session token across processes (the on-disk cache and its lock) and
 * its refreshes: near expiry, and after Copilot answers 401.
 */

import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { CopilotClient } from "../../lib/copilot/client.ts";
import type { GitHubCredential } from "../../lib/auth/credentials.ts";
import { Session } from "../../lib/auth/session.ts";
import { readSettings, type Settings } from "../../lib/base/settings.ts";
import { runCli, type RunResult, type Sandbox, sandbox, spawnCli } from "../fixtures/spawn_cli.ts";
import { type FakeUpstream, startFake } from "../fixtures/fake_upstream/mod.ts";

const TOKEN = `ghu_${"SessionTestToken".padEnd(36, "0")}`;

function assertNoSecrets(result: Pick<RunResult, "stdout" | "stderr">): void {
  for (const text of [result.stdout, result.stderr]) {
    assert(!/gh[oupr]_|github_pat_|tid=/.test(text), `a token leaked:\n${text}`);
  }
}

async function loggedIn(fake: FakeUpstream): Promise<Sandbox> {
  fake.addGitHubToken(TOKEN, "octocat");
  const sb = await sandbox(fake);
  await Deno.mkdir(sb.configDir, { recursive: true });
  await Deno.writeTextFile(
    `${sb.configDir}/auth.json`,
    JSON.stringify({ token: TOKEN, host: "github.com" }),
  );
  return sb;
}

async function status(sb: Sandbox): Promise<RunResult> {
  const result = await runCli(["status"], { env: sb.env });
  assertNoSecrets(result);
  assertEquals(result.code, 0, result.stderr);
  return result;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("two processes one after the other share one exchange through the disk cache", async () => {
  await using fake = await startFake();
  await using sb = await loggedIn(fake);
  await status(sb);
  await status(sb);
  assertEquals(fake.stats.exchanges, 1);
  assertEquals(fake.stats.users, 2);
  const cachePath = `${sb.configDir}/session.json`;
  const cache = await Deno.readTextFile(cachePath);
  assert(!cache.includes(TOKEN), "the GitHub token is not copied into the session cache");
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(cachePath)).mode! & 0o777, 0o600);
  }
});

Deno.test("two processes at the same time still make one exchange (cross-process lock)", async () => {
  await using fake = await startFake();
  await using sb = await loggedIn(fake);
  const children = [spawnCli(["status"], { env: sb.env }), spawnCli(["status"], { env: sb.env })];
  const results = await Promise.all(children.map((child) => child.output()));
  for (const result of results) {
    const decoded = {
      stdout: new TextDecoder().decode(result.stdout),
      stderr: new TextDecoder().decode(result.stderr),
    };
    assertEquals(result.code, 0, decoded.stderr);
    assertNoSecrets(decoded);
  }
  assertEquals(fake.stats.exchanges, 1);
});

Deno.test("a session past refresh_in is exchanged again", async () => {
  // Long enough for a second `status` (which also reads plan and quotas) to find it fresh.
  await using fake = await startFake({ exchange: { refreshIn: 3 } });
  await using sb = await loggedIn(fake);
  await status(sb);
  await status(sb);
  assertEquals(fake.stats.exchanges, 1);
  await sleep(3100);
  await status(sb);
  assertEquals(fake.stats.exchanges, 2);
});

Deno.test("a session close to its expiry is exchanged again (short lifetime)", async () => {
  // refresh_in says 1500 s, but the token lives 3 to 4 s: refresh when half of it is left.
  await using fake = await startFake({ exchange: { lifetime: 4 } });
  await using sb = await loggedIn(fake);
  await status(sb);
  await status(sb);
  assertEquals(fake.stats.exchanges, 1);
  await sleep(2100);
  const { expiresAt } = JSON.parse(await Deno.readTextFile(`${sb.configDir}/session.json`));
  assert(expiresAt > Date.now() / 1000, "the old session token has not expired yet");
  await status(sb);
  assertEquals(fake.stats.exchanges, 2);
});

Deno.test("login drops the cached session of the previous login", async () => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  await using sb = await loggedIn(fake);
  await status(sb);
  const login = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(login.code, 0, login.stderr);
  await status(sb);
  assertEquals(fake.stats.exchanges, 2);
});

/** Settings of this process pointing at the fake, config in `dir`. */
function settingsFor(fake: { url: string }, dir: string): Settings {
  return readSettings({ COPILOT_API_URL: fake.url, COPILOT_CONFIG_DIR: dir });
}

async function complete(client: CopilotClient): Promise<string> {
  const stream = await client.completions({ prompt: "def fib(n):\n", language: "python" });
  const chunks = await Array.fromAsync(stream);
  return chunks.map((chunk) => chunk.text).join("");
}

/**
 * A fake where TOKEN is octocat's, a temp config dir, and a session and a
 * client (no retry backoff) that log in with TOKEN; all gone on dispose.
 */
async function clientSetup() {
  const fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  const dir = await Deno.makeTempDir({ prefix: "copilot-session-" });
  const settings = settingsFor(fake, dir);
  const credential: GitHubCredential = {
    token: TOKEN,
    kind: "login",
    source: "test",
    host: "github.com",
  };
  const findCredentials = () => Promise.resolve([credential]);
  const session = new Session({ settings, findCredentials });
  const client = new CopilotClient({ settings, session, backoff: () => 0 });
  return {
    fake,
    settings,
    findCredentials,
    session,
    client,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
      await fake.close();
    },
  };
}

Deno.test("after Copilot answers 401 the client exchanges again once and retries", async () => {
  await using env = await clientSetup();
  const { fake, settings, findCredentials, session, client } = env;
  const first = await session.get();
  assert((await complete(client)).includes("return n"));
  assertEquals([fake.stats.exchanges, fake.stats.completions], [1, 1]);

  fake.expireSessionTokens();
  assert((await complete(client)).includes("return n"));
  assertEquals([fake.stats.exchanges, fake.stats.completions], [2, 3]);
  assertNotEquals((await session.get()).token, first.token);

  // Another process reads the refreshed token from the cache.
  const other = new Session({ settings, findCredentials });
  assertEquals((await other.get()).token, (await session.get()).token);
  assertEquals(fake.stats.exchanges, 2);
});

Deno.test("a second 401 right after a fresh exchange is reported, not looped on", async () => {
  await using env = await clientSetup();
  const { fake, client } = env;
  fake.failNext({ status: 401 }, { status: 401 });
  const error = await complete(client).then(() => undefined, (err) => err);
  assert(
    error instanceof Error && error.message.startsWith("Copilot rejected the session token"),
  );
  assertEquals(fake.stats.exchanges, 2);
  assertEquals(fake.stats.completions, 2);
});
