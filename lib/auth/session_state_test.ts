/**
 * The session under hostile timing and broken state: callers with a signal
 * racing the exchange, a cache file that lies, a config dir that refuses a
 * chmod or holds directories where files belong.
 */

import { assert, assertEquals, assertRejects } from "@std/assert";
import type { GitHubCredential } from "./credentials.ts";
import { CopilotError } from "../base/errors.ts";
import { readSettings } from "../base/settings.ts";
import { MAX_REFRESH_S, Session, type SessionOptions } from "./session.ts";
import { denoFs, type FileSystem } from "./secure_file.ts";
import type { ExchangedToken } from "./token_exchange.ts";

const OWN: GitHubCredential = {
  token: "ghu_own",
  kind: "login",
  source: "copilot login",
  host: "github.com",
};

const NOW_MS = 1_700_000_000_000;

/** A temp config dir, removed on dispose. */
async function tempDir() {
  const dir = await Deno.makeTempDir({ prefix: "copilot-session-state-" });
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Session options over `dir` with a fixed clock and an exchange that counts. */
function options(
  dir: string,
  extra: Partial<SessionOptions> = {},
): SessionOptions & { exchanged: string[] } {
  const exchanged: string[] = [];
  return {
    settings: readSettings({ COPILOT_CONFIG_DIR: dir }),
    now: () => NOW_MS,
    findCredentials: () => Promise.resolve([OWN]),
    exchange: (credential) => {
      exchanged.push(credential.token);
      return Promise.resolve<ExchangedToken>({
        token: `tid=${exchanged.length};exp=1:ab`,
        expiresAt: NOW_MS / 1000 + 1800,
        refreshIn: 1500,
        endpoints: { proxy: "https://proxy.test" },
      });
    },
    exchanged,
    ...extra,
  };
}

/** A valid cache file's content at NOW_MS, with `patch` applied. */
function cacheJson(patch: Record<string, unknown> = {}): string {
  return JSON.stringify({
    token: "tid=cached;exp=1:ab",
    endpoints: { api: "https://api.test", proxy: "https://proxy.test" },
    host: "github.com",
    kind: "login",
    source: "copilot login",
    fingerprint: "00",
    refreshAt: NOW_MS / 1000 + 600,
    expiresAt: NOW_MS / 1000 + 900,
    ...patch,
  });
}

Deno.test("a session.json that lies is no cache: a new token is exchanged", async () => {
  await using t = await tempDir();
  const far = NOW_MS / 1000 + 30 * 24 * 3600;
  const lies: [string, Record<string, unknown>][] = [
    ["no endpoints", { endpoints: undefined }],
    ["endpoints null", { endpoints: null }],
    ["a proxy that is no URL", { endpoints: { api: "https://api.test", proxy: 5 } }],
    ["refreshAt 30 days ahead (a clock set back)", { refreshAt: far, expiresAt: far }],
    ["refreshAt a string", { refreshAt: "soon" }],
    ["a token with a newline", { token: "tid=1\r\nX-Evil: 1" }],
    ["an unknown kind", { kind: "root" }],
  ];
  for (const [what, patch] of lies) {
    await Deno.writeTextFile(`${t.dir}/session.json`, cacheJson(patch));
    const opts = options(t.dir);
    const token = await new Session(opts).get();
    assertEquals(opts.exchanged, ["ghu_own"], what);
    assertEquals(token.endpoints.proxy, "https://proxy.test", what);
  }
  for (const text of ["", "null", "[]", "42", "{half"]) {
    await Deno.writeTextFile(`${t.dir}/session.json`, text);
    const opts = options(t.dir);
    assertEquals(await new Session(opts).cached(), undefined, text);
    await new Session(opts).get();
    assertEquals(opts.exchanged.length, 1, text);
  }
  // The control: a valid one is used as is.
  await Deno.writeTextFile(`${t.dir}/session.json`, cacheJson());
  const opts = options(t.dir);
  assertEquals((await new Session(opts).get()).token, "tid=cached;exp=1:ab");
  assertEquals(opts.exchanged, []);
});

Deno.test("a refresh_in far ahead is not believed: the refresh time stays within a day", async () => {
  await using t = await tempDir();
  const opts = options(t.dir, {
    exchange: () =>
      Promise.resolve({
        token: "tid=1:ab",
        expiresAt: NOW_MS / 1000 - 10, // our clock is ahead of the server's
        refreshIn: 10 ** 9,
        endpoints: {},
      }),
  });
  const token = await new Session(opts).get();
  assert(token.refreshAt <= NOW_MS / 1000 + MAX_REFRESH_S, `refreshAt ${token.refreshAt}`);
});

Deno.test("a config dir the user cannot chmod: the session still works and is cached", async () => {
  await using t = await tempDir();
  const noChmod: FileSystem = {
    ...denoFs,
    chmod: () => Promise.reject(new Deno.errors.PermissionDenied("Operation not permitted")),
  };
  const opts = options(t.dir, { fs: noChmod });
  await new Session(opts).get();
  await new Session(opts).get();
  assertEquals(opts.exchanged.length, 1);
});

Deno.test("session.json or session.lock a directory: one line naming it", async () => {
  for (const name of ["session.json", "session.lock"]) {
    await using t = await tempDir();
    await Deno.mkdir(`${t.dir}/${name}/inner`, { recursive: true });
    const err = await assertRejects(() => new Session(options(t.dir)).get(), CopilotError);
    assert(err.message.startsWith(`cannot `), err.message);
    assert(err.message.includes(`${t.dir}/${name}: it is a directory; remove it`), err.message);
  }
});

Deno.test("no config dir (HOME unset): the session lives in memory only", async () => {
  const opts = options("/nonexistent", { dir: undefined });
  const session = new Session(opts);
  assertEquals(session.cachePath, undefined);
  const first = await session.get();
  assertEquals((await session.get()).token, first.token);
  assertEquals(await session.clear(), false);
});
