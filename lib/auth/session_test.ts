import { assert, assertEquals, assertNotEquals, assertRejects } from "@std/assert";
import type { GitHubCredential } from "./credentials.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { readSettings } from "../base/settings.ts";
import { Session, type SessionOptions } from "./session.ts";
import type { ExchangedToken } from "./token_exchange.ts";

const OWN: GitHubCredential = {
  token: "ghu_own",
  kind: "login",
  source: "copilot login",
  host: "github.com",
};

/** A session over a temp dir with a virtual clock and a counting exchange. */
async function setup(options: {
  credentials?: GitHubCredential[];
  refreshIn?: number;
  lifetime?: number;
  exchange?: SessionOptions["exchange"];
  githubToken?: string;
} = {}) {
  const dir = await Deno.makeTempDir({ prefix: "copilot-session-" });
  const clock = { now: 1_700_000_000_000 };
  const exchanged: string[] = [];
  let serial = 0;
  const sessionOptions: SessionOptions = {
    settings: readSettings({ COPILOT_CONFIG_DIR: dir, COPILOT_GITHUB_TOKEN: options.githubToken }),
    now: () => clock.now,
    findCredentials: () => Promise.resolve(options.credentials ?? [OWN]),
    exchange: options.exchange ?? ((credential) => {
      exchanged.push(credential.token);
      const now = clock.now / 1000;
      return Promise.resolve<ExchangedToken>({
        token: `tid=${++serial};exp=${now + (options.lifetime ?? 1800)};sku=free:ab`,
        expiresAt: now + (options.lifetime ?? 1800),
        refreshIn: options.refreshIn ?? 1500,
        endpoints: { proxy: "https://proxy.test" },
      });
    }),
  };
  return {
    dir,
    clock,
    exchanged,
    options: sessionOptions,
    session: () => new Session(sessionOptions),
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("get exchanges once and caches on disk with mode 0600", async () => {
  await using t = await setup();
  const session = t.session();
  const token = await session.get();
  assertEquals(token.endpoints, {
    proxy: "https://proxy.test",
    api: "https://api.githubcopilot.com",
  });
  assertEquals(token.source, "copilot login");
  assertEquals(t.exchanged, ["ghu_own"]);
  await session.get();
  assertEquals(t.exchanged.length, 1);
  const cache = JSON.parse(await Deno.readTextFile(session.cachePath!));
  assertEquals(cache.token, token.token);
  assert(!JSON.stringify(cache).includes("ghu_own"), "the GitHub token is not in the cache");
  if (Deno.build.os !== "windows") {
    assertEquals((await Deno.stat(session.cachePath!)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(t.dir)).mode! & 0o777, 0o700);
  }
});

Deno.test("another Session (process) reuses the disk cache", async () => {
  await using t = await setup();
  const first = await t.session().get();
  const second = await t.session().get();
  assertEquals(second.token, first.token);
  assertEquals(t.exchanged.length, 1);
});

Deno.test("callers in one process share one exchange in flight", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  let calls = 0;
  await using t = await setup({
    exchange: async () => {
      calls++;
      await gate;
      return { token: "tid=1:ab", expiresAt: 1_700_001_800, refreshIn: 1500, endpoints: {} };
    },
  });
  const session = t.session();
  const all = Promise.all([session.get(), session.get(), session.get()]);
  await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  const tokens = await all;
  assertEquals(calls, 1);
  assertEquals(new Set(tokens.map((t) => t.token)).size, 1);
});

Deno.test("refreshes once refresh_in has passed", async () => {
  await using t = await setup({ refreshIn: 600 });
  const session = t.session();
  const first = await session.get();
  t.clock.now += 599_000;
  assertEquals((await session.get()).token, first.token);
  t.clock.now += 2_000;
  assertNotEquals((await session.get()).token, first.token);
  assertEquals(t.exchanged.length, 2);
});

Deno.test("refreshes when under 5 minutes of life remain", async () => {
  // refresh_in says 1500 s but the token only lives 900 s: refresh after 600 s.
  await using t = await setup({ refreshIn: 1500, lifetime: 900 });
  const session = t.session();
  const first = await session.get();
  t.clock.now += 599_000;
  assertEquals((await t.session().get()).token, first.token);
  t.clock.now += 2_000;
  assertNotEquals((await t.session().get()).token, first.token);
  assertEquals(t.exchanged.length, 2);
});

Deno.test("invalidate after a 401 makes the next get exchange again, also over the disk cache", async () => {
  await using t = await setup();
  const session = t.session();
  const first = await session.get();
  session.invalidate(first.token);
  const second = await session.get();
  assertNotEquals(second.token, first.token);
  assertEquals(t.exchanged.length, 2);
  // Invalidating an old token does not throw away the new one.
  session.invalidate(first.token);
  assertEquals((await session.get()).token, second.token);
  assertEquals(t.exchanged.length, 2);
});

Deno.test("clear deletes the cache; cached() sees nothing afterwards", async () => {
  await using t = await setup();
  const session = t.session();
  await session.get();
  assert(await session.cached());
  await session.clear();
  await assertRejects(() => Deno.stat(session.cachePath!), Deno.errors.NotFound);
  assertEquals(await t.session().cached(), undefined);
  await session.clear();
});

Deno.test("no credentials: not logged in, exit 4, no exchange", async () => {
  await using t = await setup({ credentials: [] });
  const err = await assertRejects(() => t.session().get(), CopilotError);
  assertEquals(err.message, "not logged in; run `copilot login`");
  assertEquals(err.exitCode, ExitCode.Auth);
  assertEquals(t.exchanged, []);
});

Deno.test("a credential rejected with 401 or 404 falls through to the next one", async () => {
  const vim = (token: string): GitHubCredential => ({
    token,
    kind: "plugin",
    source: `copilot.vim (${token})`,
    host: "github.com",
  });
  await using t = await setup({
    credentials: [vim("ghu_revoked"), vim("ghu_gh_cli"), vim("ghu_good")],
    exchange: (credential) => {
      if (credential.token === "ghu_revoked") {
        return Promise.reject(
          new CopilotError("rejected", { status: 401, exitCode: ExitCode.Auth }),
        );
      }
      if (credential.token === "ghu_gh_cli") {
        return Promise.reject(
          new CopilotError("no access", { status: 404, exitCode: ExitCode.Auth }),
        );
      }
      return Promise.resolve({
        token: "tid=ok:ab",
        expiresAt: 1_700_001_800,
        refreshIn: 1500,
        endpoints: {},
      });
    },
  });
  const token = await t.session().get();
  assertEquals(token.source, "copilot.vim (ghu_good)");
});

Deno.test("a 403 (no seat) does not try other credentials", async () => {
  const tried: string[] = [];
  await using t = await setup({
    credentials: [OWN, { ...OWN, token: "ghu_second" }],
    exchange: (credential) => {
      tried.push(credential.token);
      return Promise.reject(
        new CopilotError("No access to GitHub Copilot found.", { status: 403 }),
      );
    },
  });
  await assertRejects(() => t.session().get(), CopilotError, "No access to GitHub Copilot found.");
  assertEquals(tried, ["ghu_own"]);
});

/** A credential from COPILOT_GITHUB_TOKEN. */
const ENV_ONE: GitHubCredential = {
  token: "ghu_env_one",
  kind: "env",
  source: "environment (COPILOT_GITHUB_TOKEN)",
  host: "github.com",
};

Deno.test("a cache made from COPILOT_GITHUB_TOKEN is not used for another token", async () => {
  await using t = await setup({ credentials: [ENV_ONE], githubToken: "ghu_env_one" });
  const first = await t.session().get();
  assertEquals((await t.session().get()).token, first.token);
  const other = new Session({
    ...t.options,
    settings: { ...t.options.settings, githubToken: "ghu_env_two" },
  });
  assertNotEquals((await other.get()).token, first.token);
  assertEquals(t.exchanged.length, 2);
});

Deno.test("without COPILOT_GITHUB_TOKEN a cache made from it is not used", async () => {
  await using t = await setup({ credentials: [ENV_ONE], githubToken: "ghu_env_one" });
  const first = await t.session().get();
  const unset = new Session({
    ...t.options,
    settings: { ...t.options.settings, githubToken: undefined },
    findCredentials: () => Promise.resolve([OWN]),
  });
  assertNotEquals((await unset.get()).token, first.token);
  assertEquals(t.exchanged, ["ghu_env_one", "ghu_own"]);
});

Deno.test("a corrupt cache file is ignored and replaced", async () => {
  await using t = await setup();
  const session = t.session();
  await Deno.mkdir(t.dir, { recursive: true });
  await Deno.writeTextFile(session.cachePath!, "{half written");
  await session.get();
  assertEquals(t.exchanged.length, 1);
  assertEquals(typeof JSON.parse(await Deno.readTextFile(session.cachePath!)).token, "string");
});
