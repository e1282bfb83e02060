/**
 * `copilot status`, end to end, for every token source and every way the
 * exchange can fail.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { DatabaseSync } from "node:sqlite";
import { runCli, type RunResult, type Sandbox, sandbox } from "../fixtures/spawn_cli.ts";
import { type ExchangeMode, type FakeUpstream, startFake } from "../fixtures/fake_upstream/mod.ts";

const TOKEN = `ghu_${"StatusTestToken".padEnd(36, "0")}`;
const CLIENT_ID = "Iv1.b507a08c87ecfe98";

function assertNoSecrets(result: Pick<RunResult, "stdout" | "stderr">): void {
  for (const text of [result.stdout, result.stderr]) {
    assert(!/gh[oupr]_|github_pat_|tid=/.test(text), `a token leaked:\n${text}`);
  }
}

function errorLine(result: RunResult): string {
  const line = result.stderr.trimEnd().split("\n").at(-1)!;
  assert(line.startsWith("copilot: "), result.stderr);
  return line;
}

async function status(sb: Sandbox, env: Record<string, string> = {}): Promise<RunResult> {
  const result = await runCli(["status"], { env: { ...sb.env, ...env } });
  assertNoSecrets(result);
  return result;
}

/** copilot.vim's directory in the sandbox. */
async function vimDir(sb: Sandbox): Promise<string> {
  const dir = `${sb.xdgConfig}/github-copilot`;
  await Deno.mkdir(dir, { recursive: true });
  return dir;
}

function writeAuthDb(dir: string, rows: [string, number, string][]): void {
  const db = new DatabaseSync(`${dir}/auth.db`);
  try {
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(`CREATE TABLE oauth_tokens (token_id TEXT PRIMARY KEY, auth_authority TEXT,
      user_login TEXT, scopes TEXT, token_schema_version INTEGER, token_ciphertext BLOB,
      last_used_at INTEGER, updated_at INTEGER)`);
    const insert = db.prepare(
      "INSERT INTO oauth_tokens VALUES (?, 'github.com', 'octocat', '', ?, ?, ?, ?)",
    );
    for (const [id, version, token] of rows) {
      insert.run(id, version, new TextEncoder().encode(token), rows.length, rows.length);
    }
  } finally {
    db.close();
  }
}

async function withFake(
  fn: (fake: FakeUpstream, sb: Sandbox) => Promise<void>,
): Promise<void> {
  await using fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using sb = await sandbox(fake);
  await fn(fake, sb);
}

function assertWorks(result: RunResult, source: string): void {
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stdout, "User:    octocat\n");
  assertStringIncludes(result.stdout, "Host:    github.com\n");
  assertStringIncludes(result.stdout, `Source:  ${source}\n`);
  assertMatch(
    result.stdout,
    /Copilot: access works \(plan yearly_subscriber, session token valid for \d+ min\)/,
  );
}

Deno.test("status: token from COPILOT_GITHUB_TOKEN", async () => {
  await withFake(async (fake, sb) => {
    const result = await status(sb, { COPILOT_GITHUB_TOKEN: TOKEN });
    assertWorks(result, "environment (COPILOT_GITHUB_TOKEN)");
    assertEquals(fake.stats.exchanges, 1);
    assertEquals(fake.requestsTo("/user")[0]!.headers["authorization"], `Bearer ${TOKEN}`);
  });
});

Deno.test("status: token from this tool's own login", async () => {
  await withFake(async (_fake, sb) => {
    await Deno.mkdir(sb.configDir, { recursive: true });
    await Deno.writeTextFile(
      `${sb.configDir}/auth.json`,
      JSON.stringify({ token: TOKEN, host: "github.com", user: "octocat" }),
    );
    assertWorks(await status(sb), `copilot login (${sb.configDir}/auth.json)`);
  });
});

Deno.test("status: copilot.vim's apps.json, read without being modified", async () => {
  await withFake(async (_fake, sb) => {
    const dir = await vimDir(sb);
    const apps = `${dir}/apps.json`;
    await Deno.writeTextFile(
      apps,
      JSON.stringify({
        [`github.com:${CLIENT_ID}`]: {
          user: "octocat",
          oauth_token: TOKEN,
          githubAppId: CLIENT_ID,
        },
      }),
    );
    await Deno.chmod(apps, 0o600);
    const bytes = await Deno.readFile(apps);
    const before = await Deno.stat(apps);
    assertWorks(await status(sb), `copilot.vim (${apps})`);
    const after = await Deno.stat(apps);
    assertEquals(await Deno.readFile(apps), bytes);
    assertEquals(after.mtime, before.mtime);
    assertEquals(after.mode, before.mode);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["apps.json"]);
  });
});

Deno.test("status: copilot.vim's hosts.json", async () => {
  await withFake(async (_fake, sb) => {
    const dir = await vimDir(sb);
    await Deno.writeTextFile(
      `${dir}/hosts.json`,
      JSON.stringify({ "github.com": { user: "octocat", oauth_token: TOKEN } }),
    );
    assertWorks(await status(sb), `copilot.vim (${dir}/hosts.json)`);
  });
});

Deno.test("status: copilot.vim's auth.db (version-0 row; an encrypted row is skipped)", async () => {
  await withFake(async (_fake, sb) => {
    const dir = await vimDir(sb);
    writeAuthDb(dir, [["enc", 1, "\u0001\u0002ciphertext"], ["plain", 0, TOKEN]]);
    assertWorks(await status(sb), `copilot.vim (${dir}/auth.db)`);
  });
});

Deno.test("status: a revoked auth.db token falls through to apps.json", async () => {
  await withFake(async (_fake, sb) => {
    const dir = await vimDir(sb);
    writeAuthDb(dir, [["old", 0, "ghu_revokedRevokedRevoked"]]);
    await Deno.writeTextFile(
      `${dir}/apps.json`,
      JSON.stringify({ [`github.com:${CLIENT_ID}`]: { user: "octocat", oauth_token: TOKEN } }),
    );
    assertWorks(await status(sb), `copilot.vim (${dir}/apps.json)`);
  });
});

Deno.test("status: the environment wins over the own login", async () => {
  await withFake(async (fake, sb) => {
    fake.addGitHubToken("ghu_envEnvEnv", "hubot");
    await Deno.mkdir(sb.configDir, { recursive: true });
    await Deno.writeTextFile(
      `${sb.configDir}/auth.json`,
      JSON.stringify({ token: TOKEN, host: "github.com" }),
    );
    const result = await status(sb, { COPILOT_GITHUB_TOKEN: "ghu_envEnvEnv" });
    assertEquals(result.code, 0, result.stderr);
    assertStringIncludes(result.stdout, "User:    hubot\n");
  });
});

Deno.test("status: not logged in, exit 4", async () => {
  await withFake(async (fake, sb) => {
    // copilot.vim's directory holds a store, but no login for this host.
    await Deno.mkdir(`${sb.xdgConfig}/github-copilot`, { recursive: true });
    await Deno.writeTextFile(`${sb.xdgConfig}/github-copilot/hosts.json`, "{}");
    const result = await status(sb);
    assertEquals(result.code, 4);
    // stdout says where it looked and what it found; stderr is the one error line.
    const store = `${sb.xdgConfig}/github-copilot`;
    assertEquals(
      result.stdout,
      [
        "Not logged in. Looked for a GitHub token in:",
        "  environment: COPILOT_GITHUB_TOKEN: not set",
        `  copilot login: ${sb.configDir}/auth.json: no such file`,
        `  copilot.vim: ${store}/auth.db: no such file`,
        `  copilot.vim: ${store}/apps.json: no such file`,
        `  copilot.vim: ${store}/hosts.json: no usable login for github.com`,
        "",
      ].join("\n"),
    );
    assertEquals(result.stderr, "copilot: not logged in; run `copilot login`\n");
    assertEquals(fake.stats.exchanges, 0);
  });
});

const failures: [ExchangeMode, number, string][] = [
  ["bad_credentials", 4, "copilot: GitHub rejected the token; run `copilot login`"],
  [
    "no_access",
    4,
    "copilot: No access to GitHub Copilot found. You are currently logged in as octocat. " +
    "(https://github.com/github-copilot/signup?editor=Neovim_0.11.4)",
  ],
  ["not_found", 4, "copilot: this account has no Copilot access"],
  ["rate_limited", 5, "copilot: GitHub rate limit exceeded; try again later"],
];

for (const [mode, code, message] of failures) {
  Deno.test(`status: exchange answers ${mode}, exit ${code}`, async () => {
    await withFake(async (fake, sb) => {
      fake.config.exchange.mode = mode;
      const result = await status(sb, { COPILOT_GITHUB_TOKEN: TOKEN });
      assertEquals(result.code, code);
      assertEquals(errorLine(result), message);
      // Who and where are still shown.
      assertStringIncludes(result.stdout, "User:    octocat\n");
      // "no access" only when GitHub said so; anything else is named as what it is.
      const access = code === 4 ? "no access" : message.slice("copilot: ".length);
      assertStringIncludes(result.stdout, `Copilot: ${access}\n`);
      assertEquals(result.stderr.trimEnd().split("\n").length, 1);
    });
  });
}

Deno.test("status: exchange answers 500, exit 1 with the status", async () => {
  await withFake(async (fake, sb) => {
    fake.config.exchange.mode = "server_error";
    const result = await status(sb, { COPILOT_GITHUB_TOKEN: TOKEN });
    assertEquals(result.code, 1);
    assertMatch(errorLine(result), /^copilot: 127\.0\.0\.1:\d+ answered 500 to the token exchange/);
  });
});

Deno.test("status: a token GitHub does not know, exit 4", async () => {
  await withFake(async (_fake, sb) => {
    const result = await status(sb, { COPILOT_GITHUB_TOKEN: "ghu_unknownUnknown" });
    assertEquals(result.code, 4);
    assertEquals(errorLine(result), "copilot: GitHub rejected the token; run `copilot login`");
    assertStringIncludes(
      result.stdout,
      "User:    unknown (GitHub: GitHub rejected the token; run `copilot login`)",
    );
  });
});

Deno.test("status: a token of another app (gho_, e.g. gh auth token) gets 404, exit 4", async () => {
  await withFake(async (fake, sb) => {
    fake.addGitHubToken("gho_fromGhCli", "octocat");
    const result = await status(sb, { COPILOT_GITHUB_TOKEN: "gho_fromGhCli" });
    assertEquals(result.code, 4);
    assertEquals(errorLine(result), "copilot: this account has no Copilot access");
  });
});

Deno.test("status: GitHub unreachable, exit 1 naming the host", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using sb = await sandbox();
  const result = await status(sb, {
    COPILOT_GITHUB_TOKEN: TOKEN,
    COPILOT_API_URL: `http://127.0.0.1:${port}`,
  });
  assertEquals(result.code, 1);
  assertMatch(errorLine(result), new RegExp(`^copilot: cannot reach 127\\.0\\.0\\.1:${port}: `));
  // The report names the network failure; it never claims "no access".
  assertMatch(result.stdout, /^Copilot: cannot reach 127\.0\.0\.1:\d+: /m);
  assert(!result.stdout.includes("no access"), result.stdout);
});

Deno.test("status with COPILOT_DEBUG logs requests with every token redacted", async () => {
  await withFake(async (_fake, sb) => {
    const result = await status(sb, { COPILOT_GITHUB_TOKEN: TOKEN, COPILOT_DEBUG: "1" });
    assertEquals(result.code, 0, result.stderr);
    assertMatch(
      result.stderr,
      /debug: GET http:\/\/127\.0\.0\.1:\d+\/copilot_internal\/v2\/token 200/,
    );
  });
});
