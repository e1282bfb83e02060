/**
 * `copilot login` and `copilot logout`, end to end: the real CLI with its
 * permission set against the fake GitHub.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli, type RunResult, sandbox, spawnCli } from "../fixtures/spawn_cli.ts";
import {
  DEFAULT_GITHUB_TOKEN,
  type FakeUpstream,
  startFake,
} from "../fixtures/fake_upstream/mod.ts";

const POSIX = Deno.build.os !== "windows";

/** No GitHub, refresh or session token ever reaches the terminal. */
function assertNoSecrets(result: Pick<RunResult, "stdout" | "stderr">): void {
  for (const text of [result.stdout, result.stderr]) {
    assert(!/gh[oupr]_|github_pat_|tid=/.test(text), `a token leaked:\n${text}`);
  }
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(path));
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

/** The error line main.ts prints: exactly one line. */
function errorLine(result: RunResult): string {
  const lines = result.stderr.trimEnd().split("\n");
  const line = lines.at(-1)!;
  assert(line.startsWith("copilot: "), result.stderr);
  return line;
}

Deno.test("login: pending and slow_down, never polls early, stores the token privately", async () => {
  await using fake = await startFake({
    device: { interval: 0.1, pending: 3, slowDownAt: [2], slowDownBy: 0.15, errorStatus: 400 },
  });
  await using sb = await sandbox(fake);
  // A session cached for an older login must go.
  await Deno.mkdir(sb.configDir, { recursive: true });
  await Deno.writeTextFile(`${sb.configDir}/session.json`, '{"token":"stale"}');

  const result = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(result.stdout, "");
  assertStringIncludes(result.stderr, "! First copy your one-time code: WDJB-MJHT\n");
  assertStringIncludes(result.stderr, "Then open: https://github.com/login/device\n");
  assertStringIncludes(result.stderr, "Logged in as octocat\n");
  // stderr is not a terminal here: no waiting indicator.
  assert(!result.stderr.includes("\r") && !result.stderr.includes("Waiting"), result.stderr);
  assertNoSecrets(result);

  assertEquals(fake.stats.earlyPolls, 0);
  assertEquals(fake.stats.devicePolls, 5); // pending, slow_down, pending, pending, token
  assertEquals(fake.stats.users, 1);

  const [codeRequest] = fake.requestsTo("/login/device/code");
  assertEquals(codeRequest!.headers["accept"], "application/json");
  assertEquals(codeRequest!.body, { client_id: "Iv1.b507a08c87ecfe98", scope: "repo workflow" });
  const [poll] = fake.requestsTo("/login/oauth/access_token");
  assertEquals(
    (poll!.body as Record<string, string>).grant_type,
    "urn:ietf:params:oauth:grant-type:device_code",
  );

  const authPath = `${sb.configDir}/auth.json`;
  assertEquals(await readJson(authPath), {
    token: DEFAULT_GITHUB_TOKEN,
    host: "github.com",
    user: "octocat",
  });
  if (POSIX) {
    assertEquals((await Deno.stat(authPath)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(sb.configDir)).mode! & 0o777, 0o700);
  }
  assertEquals(await exists(`${sb.configDir}/session.json`), false);
  // No temp file left behind by the atomic write.
  assertEquals([...Deno.readDirSync(sb.configDir)].map((e) => e.name), ["auth.json"]);
});

Deno.test("login: a GitHub App token that expires keeps its refresh token", async () => {
  await using fake = await startFake({ device: { interval: 0.02, expiringToken: true } });
  await using sb = await sandbox(fake);
  const result = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(result.code, 0, result.stderr);
  assertNoSecrets(result);
  const stored = await readJson(`${sb.configDir}/auth.json`);
  assertMatch(String(stored.refresh_token), /^ghr_/);
  const expiresAt = Number(stored.expires_at);
  const now = Date.now() / 1000;
  assert(expiresAt > now + 28000 && expiresAt < now + 28900, String(expiresAt));
});

Deno.test("login: access denied stops with one line, exit 4, nothing stored", async () => {
  await using fake = await startFake({ device: { interval: 0.02, outcome: "access_denied" } });
  await using sb = await sandbox(fake);
  const result = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(result.code, 4);
  assertEquals(errorLine(result), "copilot: login cancelled: access was denied on GitHub");
  assertNoSecrets(result);
  assertEquals(await exists(`${sb.configDir}/auth.json`), false);
  assertEquals(fake.stats.earlyPolls, 0);
});

for (const outcome of ["expired_token", "token_expired"] as const) {
  Deno.test(`login: ${outcome} stops with one line, exit 4`, async () => {
    await using fake = await startFake({ device: { interval: 0.02, outcome, errorStatus: 400 } });
    await using sb = await sandbox(fake);
    const result = await runCli(["login", "--no-browser"], { env: sb.env });
    assertEquals(result.code, 4);
    assertEquals(
      errorLine(result),
      "copilot: the one-time code expired before it was entered; run `copilot login` again",
    );
    assertEquals(await exists(`${sb.configDir}/auth.json`), false);
  });
}

Deno.test("login: gives up by itself once expires_in has run out", async () => {
  // Polls at about 0.3, 0.6, 0.9 s; the next one would be after the code's 1 s life.
  await using fake = await startFake({ device: { interval: 0.3, expiresIn: 1, pending: 1000 } });
  await using sb = await sandbox(fake);
  const started = performance.now();
  const result = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(result.code, 4);
  assertStringIncludes(errorLine(result), "expired");
  // It stopped before the server ever had to answer expired_token. (Polls due at 0.3, 0.6 and
  // 0.9 s: a loaded machine may start late and fit fewer into the code's life, never more.)
  assert(fake.stats.devicePolls >= 1 && fake.stats.devicePolls <= 3, `${fake.stats.devicePolls}`);
  assertEquals(fake.stats.latePolls, 0);
  assertEquals(fake.stats.earlyPolls, 0);
  assert(performance.now() - started < 10_000);
});

Deno.test("login: any other error stops with its description", async () => {
  await using fake = await startFake({ device: { clientId: "Iv1.someotherapp" } });
  await using sb = await sandbox(fake);
  const result = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(result.code, 1);
  assertStringIncludes(
    errorLine(result),
    "incorrect_client_credentials: The client_id is not valid.",
  );
});

Deno.test({
  name: "login: Ctrl-C while waiting exits 130 at once",
  ignore: !POSIX,
  async fn() {
    await using fake = await startFake({ device: { interval: 0.05, pending: 100_000 } });
    await using sb = await sandbox(fake);
    const child = spawnCli(["login", "--no-browser"], { env: sb.env });
    const output = child.output();
    const deadline = Date.now() + 15_000;
    while (fake.stats.devicePolls < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert(fake.stats.devicePolls >= 2, "the CLI never started polling");
    const sent = performance.now();
    child.kill("SIGINT");
    const result = await output;
    const elapsed = performance.now() - sent;
    assertEquals(result.code, 130);
    assert(elapsed < 2000, `took ${elapsed} ms`);
    const stderr = new TextDecoder().decode(result.stderr);
    assert(!stderr.includes("error"), stderr);
    assertNoSecrets({ stdout: new TextDecoder().decode(result.stdout), stderr });
    assertEquals(await exists(`${sb.configDir}/auth.json`), false);
  },
});

Deno.test("login --host stores the host; status shows it", async () => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  await using sb = await sandbox(fake);
  const result = await runCli(["login", "--no-browser", "--host", "octo.ghe.com"], { env: sb.env });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stderr, "Logged in as octocat on octo.ghe.com\n");
  assertEquals((await readJson(`${sb.configDir}/auth.json`)).host, "octo.ghe.com");
  const status = await runCli(["status"], { env: sb.env });
  assertEquals(status.code, 0, status.stderr);
  assertStringIncludes(status.stdout, "Host:    octo.ghe.com\n");
  assertNoSecrets(status);
});

Deno.test("login --host rejects something that is not a host, exit 2", async () => {
  await using sb = await sandbox();
  const result = await runCli(["login", "--host", "https://octo.ghe.com/some/path"], {
    env: sb.env,
  });
  assertEquals(result.code, 2);
  assertStringIncludes(errorLine(result), "--host takes a GitHub host");
});

/** A fake `xdg-open` on PATH that records the URL it was asked to open. */
async function fakeOpener(home: string): Promise<{ bin: string; marker: string }> {
  const bin = `${home}/bin`;
  const marker = `${home}/opened.txt`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(`${bin}/xdg-open`, `#!/bin/sh\nprintf '%s' "$1" > '${marker}'\n`);
  await Deno.chmod(`${bin}/xdg-open`, 0o755);
  return { bin, marker };
}

async function waitFor(path: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await exists(path)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

Deno.test({
  name: "login opens the browser only with a display and without --no-browser",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using fake = await startFake({ device: { interval: 0.02 } });
    await using sb = await sandbox(fake);
    const { bin, marker } = await fakeOpener(sb.home);
    const env = { ...sb.env, PATH: `${bin}:${sb.env.PATH}` };

    const headless = await runCli(["login"], { env });
    assertEquals(headless.code, 0, headless.stderr);
    const declined = await runCli(["login", "--no-browser"], { env: { ...env, DISPLAY: ":0" } });
    assertEquals(declined.code, 0, declined.stderr);
    assertEquals(await exists(marker), false);

    const opened = await runCli(["login"], { env: { ...env, DISPLAY: ":0" } });
    assertEquals(opened.code, 0, opened.stderr);
    assert(await waitFor(marker), "xdg-open was not run");
    assertEquals(await Deno.readTextFile(marker), "https://github.com/login/device");
  },
});

Deno.test("login works when no opener exists (never fails because of the browser)", async () => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  await using sb = await sandbox(fake);
  const empty = `${sb.home}/empty-bin`;
  await Deno.mkdir(empty);
  const result = await runCli(["login"], {
    env: { ...sb.env, PATH: empty, DISPLAY: ":0", WAYLAND_DISPLAY: "wayland-0" },
  });
  assertEquals(result.code, 0, result.stderr);
  assertStringIncludes(result.stderr, "Logged in as octocat");
});

Deno.test("login: a network failure is one line naming the host", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using sb = await sandbox();
  const result = await runCli(["login", "--no-browser"], {
    env: { ...sb.env, COPILOT_GITHUB_URL: `http://127.0.0.1:${port}` },
  });
  assertEquals(result.code, 1);
  assertMatch(errorLine(result), new RegExp(`^copilot: cannot reach 127\\.0\\.0\\.1:${port}: `));
});

// --- logout --------------------------------------------------------------

async function loggedIn(
  fake: FakeUpstream,
  sb: Awaited<ReturnType<typeof sandbox>>,
): Promise<void> {
  const login = await runCli(["login", "--no-browser"], { env: sb.env });
  assertEquals(login.code, 0, login.stderr);
  const status = await runCli(["status"], { env: sb.env });
  assertEquals(status.code, 0, status.stderr);
  assertEquals(fake.stats.exchanges, 1);
}

Deno.test("logout deletes the token and the cached session, then status says not logged in", async () => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  await using sb = await sandbox(fake);
  await loggedIn(fake, sb);
  assert(await exists(`${sb.configDir}/session.json`));

  const result = await runCli(["logout"], { env: sb.env });
  assertEquals(result.code, 0);
  assertStringIncludes(
    result.stderr,
    `Logged out: removed the GitHub token (${sb.configDir}/auth.json)`,
  );
  assertStringIncludes(result.stderr, "Removed the cached session token");
  assertNoSecrets(result);
  assertEquals(await exists(`${sb.configDir}/auth.json`), false);
  assertEquals(await exists(`${sb.configDir}/session.json`), false);

  const status = await runCli(["status"], { env: sb.env });
  assertEquals(status.code, 4);
  assertEquals(errorLine(status), "copilot: not logged in; run `copilot login`");
});

Deno.test("logout when not logged in says so and exits 0", async () => {
  await using sb = await sandbox();
  const result = await runCli(["logout"], { env: sb.env });
  assertEquals(result.code, 0);
  assertStringIncludes(result.stderr, "Not logged in");
});

Deno.test("logout never touches copilot.vim's files, and says that login is still used", async () => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  await using sb = await sandbox(fake);
  await loggedIn(fake, sb);
  const vimDir = `${sb.xdgConfig}/github-copilot`;
  await Deno.mkdir(vimDir, { recursive: true });
  const apps = `${vimDir}/apps.json`;
  await Deno.writeTextFile(
    apps,
    JSON.stringify({
      "github.com:Iv1.b507a08c87ecfe98": { user: "vimmer", oauth_token: "ghu_vim" },
    }),
  );
  const before = await Deno.readFile(apps);
  const mtime = (await Deno.stat(apps)).mtime;

  const result = await runCli(["logout"], { env: sb.env });
  assertEquals(result.code, 0);
  assertStringIncludes(result.stderr, `still uses the login in copilot.vim (${apps})`);
  assertNoSecrets(result);
  assertEquals(await Deno.readFile(apps), before);
  assertEquals((await Deno.stat(apps)).mtime, mtime);
  assertEquals([...Deno.readDirSync(vimDir)].map((e) => e.name), ["apps.json"]);
});
