/**
 * One coherent client identity on every hop, end to end: login → status →
 * complete → serve (chat and models) under each preset, against a fake that
 * checks each hop's headers for that preset; a mixed identity is refused.
 */

import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { runCli, sandbox } from "../fixtures/spawn_cli.ts";
import { startServe } from "../fixtures/serve_process.ts";
import { DEFAULT_COMPLETION_TEXT, startFake } from "../fixtures/fake_upstream/mod.ts";

const POSIX = Deno.build.os !== "windows";

const CLIENTS = [
  { name: "vim", env: {}, agent: /^GithubCopilot\/\d/, status: "Client:  vim: the Copilot" },
  {
    name: "vscode",
    env: { COPILOT_CLIENT: "vscode" },
    agent: /^(GitHubCopilotChat\/\d|Visual-Studio-Code$)/,
    status: "Client:  vscode: VS Code with GitHub Copilot Chat",
  },
] as const;

for (const client of CLIENTS) {
  Deno.test(`preset ${client.name}: login, status, complete and serve as one client`, async () => {
    await using fake = await startFake({
      identity: { expect: client.name },
      device: { interval: 0.02 },
    });
    await using box = await sandbox(fake);
    Object.assign(box.env, client.env);

    const login = await runCli(["login", "--no-browser"], { env: box.env });
    assertEquals(login.code, 0, login.stderr);

    const status = await runCli(["status"], { env: box.env });
    assertEquals(status.code, 0, status.stderr);
    assertStringIncludes(status.stdout, client.status);

    const complete = await runCli(["complete", "--lang", "python"], {
      env: box.env,
      stdin: "def fib(n):\n",
    });
    assertEquals([complete.code, complete.stdout], [0, DEFAULT_COMPLETION_TEXT], complete.stderr);

    await using serve = await startServe(box.env);
    const models = await fetch(`${serve.url}v1/models`);
    assertEquals(models.status, 200, await models.clone().text());
    await models.body?.cancel();
    const chat = await fetch(`${serve.url}v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4.1", messages: [{ role: "user", content: "hi" }] }),
    });
    assertEquals(chat.status, 200, await chat.clone().text());
    await chat.body?.cancel();
    await serve.stop();

    assertEquals(fake.stats.identityProblems, []);
    const paths = new Set(fake.stats.requests.map((request) => request.path));
    for (const path of ["/login/device/code", "/user", "/copilot_internal/v2/token", "/models"]) {
      assert(paths.has(path), `no request to ${path}`);
    }
    assert(paths.has("/chat/completions") && [...paths].some((p) => p.startsWith("/v1/engines/")));
    for (const request of fake.stats.requests) {
      assertMatch(request.headers["user-agent"] ?? "", client.agent, request.path);
    }
    // complete and serve (two processes) sent the one machine id kept in the config dir.
    const ids = JSON.parse(await Deno.readTextFile(`${box.configDir}/install.json`));
    const machineIds = new Set(
      fake.stats.requests.map((request) => request.headers["vscode-machineid"]).filter(Boolean),
    );
    assertEquals([...machineIds], [ids.machineId]);
    if (POSIX) {
      assertEquals((await Deno.stat(`${box.configDir}/install.json`)).mode! & 0o777, 0o600);
    }
  });
}

Deno.test("a mixed identity is refused: login as vim, then complete as vscode", async () => {
  await using fake = await startFake({ device: { interval: 0.02 } });
  await using box = await sandbox(fake);
  assertEquals((await runCli(["login", "--no-browser"], { env: box.env })).code, 0);
  box.env.COPILOT_CLIENT = "vscode";
  const complete = await runCli(["complete"], { env: box.env, stdin: "def fib(n):\n" });
  assertEquals(complete.code, 1, complete.stderr);
  assertStringIncludes(complete.stderr, "mixed identity");
  assertMatch(fake.stats.identityProblems[0] ?? "", /^mixed identity: exchange sent as vscode/);
});

Deno.test("an unknown COPILOT_CLIENT is a usage error naming the presets", async () => {
  await using box = await sandbox();
  box.env.COPILOT_GITHUB_TOKEN = "ghu_presetTestToken00000000000000000000";
  box.env.COPILOT_CLIENT = "emacs";
  const result = await runCli(["complete"], { env: box.env, stdin: "x" });
  assertEquals(result.code, 2);
  assertStringIncludes(result.stderr, 'unknown COPILOT_CLIENT "emacs"; use one of: vim, vscode');
});
