/**
 * `copilot lsp` speaks GitHub's method set, so clients written for GitHub's
 * server work: completions in GitHub's shapes, panel, telemetry hooks,
 * version, editor info, status, quota, and the sign-in flows (asked for by
 * the client, and offered by the server when nobody is signed in).
 */

import { assert, assertEquals, assertMatch } from "@std/assert";
import { sandbox } from "../fixtures/spawn_cli.ts";
import {
  DEFAULT_COMPLETION_TEXT,
  DEFAULT_GITHUB_TOKEN,
  startFake,
} from "../fixtures/fake_upstream/mod.ts";
import { type LspSession, startLsp, until } from "../fixtures/lsp_client.ts";

const TOKEN = "ghu_lspGitHubMethodsTestToken00000000000";
const URI = "file:///work/project/fib.py";
const AT = { line: 1, character: 0 };

interface GitHubCompletion {
  uuid: string;
  text: string;
  displayText: string;
  range: unknown;
  position: unknown;
  docVersion: number;
}

async function openFib(lsp: LspSession) {
  await lsp.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: URI, languageId: "python", version: 7, text: "def fib(n):\n" },
  });
}

const completionsOf = (result: unknown) =>
  (result as { completions: GitHubCompletion[] }).completions;

Deno.test("lsp: GitHub's methods, signed in", async (t) => {
  await using fake = await startFake();
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  box.env.COPILOT_GITHUB_TOKEN = TOKEN;
  await using lsp = startLsp(box.env);
  const c = lsp.connection;
  await lsp.initialize({
    initializationOptions: {
      editorInfo: { name: "Neovim", version: "0.11.0" },
      editorPluginInfo: { name: "copilot.lua", version: "1.0" },
      debounceMs: 0,
    },
  });
  await openFib(lsp);

  await t.step("setEditorInfo, getVersion", async () => {
    assertEquals(
      await c.sendRequest("setEditorInfo", { editorInfo: { name: "Neovim", version: "0.11.0" } }),
      "OK",
    );
    const version = await c.sendRequest("getVersion", {}) as Record<string, string>;
    assertMatch(version.version!, /^\d+\.\d+\.\d+/);
    assertEquals(version.buildType, "prod");
    assertMatch(version.runtimeVersion!, /^deno\//);
  });

  await t.step("checkStatus: OK with the user; MaybeOk on local checks", async () => {
    assertEquals(await c.sendRequest("checkStatus", {}), { status: "OK", user: "octocat" });
    assertEquals(await c.sendRequest("checkStatus", { options: { localChecksOnly: true } }), {
      status: "MaybeOk",
    });
  });

  await t.step(
    "getCompletions: text and range from the line's start, as copilot.vim reads them",
    async () => {
      const [one, ...rest] = completionsOf(
        await c.sendRequest("getCompletions", {
          doc: { uri: URI, position: AT, version: 7, relativePath: "fib.py" },
          textDocument: { uri: URI, version: 7 },
          position: AT,
        }),
      );
      assertEquals(rest, []);
      assertMatch(one!.uuid, /^[0-9a-f-]{36}$/);
      assertEquals({ ...one, uuid: "" }, {
        uuid: "",
        text: DEFAULT_COMPLETION_TEXT.trimEnd(),
        displayText: DEFAULT_COMPLETION_TEXT.trimEnd(),
        range: { start: AT, end: AT },
        position: AT,
        docVersion: 7,
      });
      const status = lsp.notifications.filter((n) => n.method === "didChangeStatus");
      assertEquals(status.at(-1)?.params, { kind: "Normal", message: "", busy: false });
    },
  );

  await t.step("getCompletionsCycling asks for 3 and answers the distinct ones", async () => {
    fake.config.completions.text = ["    return 1", "    return 2", "    return 1"];
    const completions = completionsOf(
      await c.sendRequest("getCompletionsCycling", { textDocument: { uri: URI }, position: AT }),
    );
    assertEquals(completions.map((one) => one.displayText), ["    return 1", "    return 2"]);
    const body = fake.requestsTo("/v1/engines/").at(-1)!.body as { n: number };
    assertEquals(body.n, 3);
    assertEquals(fake.requestsTo("/v1/engines/").at(-1)!.headers["openai-intent"], "copilot-panel");
  });

  await t.step(
    "getCompletions of a document sent whole in `doc.source` (the old shape)",
    async () => {
      fake.config.completions.text = "x = 1";
      const completions = completionsOf(
        await c.sendRequest("getCompletions", {
          doc: {
            uri: "file:///work/project/a.py",
            source: "# é\n",
            languageId: "python",
            position: AT,
            version: 1,
          },
        }),
      );
      assertEquals(completions.map((one) => one.text), ["x = 1"]);
    },
  );

  await t.step(
    "getPanelCompletions answers the target, then PanelSolution notifications",
    async () => {
      fake.config.completions.text = ["    return 1", "    return 2", "    return 3"];
      const result = await c.sendRequest("getPanelCompletions", {
        textDocument: { uri: URI },
        position: AT,
        panelId: "panel-1",
      });
      assertEquals(result, { solutionCountTarget: 3 });
      await until(() => lsp.notifications.some((n) => n.method === "PanelSolutionsDone"));
      const solutions = lsp.notifications.filter((n) => n.method === "PanelSolution")
        .map((n) => (n.params as { panelId: string; displayText: string }));
      assertEquals(solutions.map((s) => [s.panelId, s.displayText]), [
        ["panel-1", "    return 1"],
        ["panel-1", "    return 2"],
        ["panel-1", "    return 3"],
      ]);
    },
  );

  await t.step(
    "notifyShown / Accepted / Rejected and the 3.18 notifications are acknowledged",
    async () => {
      assertEquals(await c.sendRequest("notifyShown", { uuid: "u" }), "OK");
      assertEquals(await c.sendRequest("notifyAccepted", { uuid: "u", acceptedLength: 3 }), "OK");
      assertEquals(await c.sendRequest("notifyRejected", { uuids: ["u"] }), "OK");
      await c.sendNotification("textDocument/didShowCompletion", { item: { insertText: "x" } });
      await c.sendNotification("textDocument/didPartiallyAcceptCompletion", {
        item: { insertText: "x" },
        acceptedLength: 1,
      });
      assertEquals(await c.sendRequest("notifyShown", { uuid: "v" }), "OK");
    },
  );

  await t.step("checkQuota: plan and quotas from copilot_internal/user", async () => {
    const quota = await c.sendRequest("checkQuota", {}) as Record<string, Record<string, unknown>>;
    assertEquals(quota.copilotPlan, "individual" as never);
    assertEquals(quota.completions?.unlimited, true);
    assertEquals(quota.premiumInteractions?.entitlement, 300);
  });

  await t.step("signOut with a token in the environment: it still signs in", async () => {
    assertEquals(await c.sendRequest("signOut", {}), { status: "MaybeOk" });
  });
  assertEquals(await lsp.stop(), 0);
  assertEquals(await lsp.stderr(), "");
});

Deno.test("lsp: sign in through GitHub's methods, then sign out", async () => {
  await using fake = await startFake();
  await using box = await sandbox(fake);
  await using lsp = startLsp(box.env);
  const c = lsp.connection;
  await lsp.initialize();
  assertEquals(await c.sendRequest("checkStatus", {}), { status: "NotSignedIn" });
  const prompt = await c.sendRequest("signInInitiate", {}) as Record<string, unknown>;
  assertEquals(prompt.status, "PromptUserDeviceFlow");
  assertEquals(prompt.userCode, "WDJB-MJHT");
  assertEquals(prompt.verificationUri, "https://github.com/login/device");
  assertEquals(
    await c.sendRequest("signInConfirm", { userCode: "WDJB-MJHT" }),
    { status: "OK", user: "octocat" },
  );
  assertEquals(await c.sendRequest("checkStatus", {}), { status: "OK", user: "octocat" });
  const stored = JSON.parse(
    await Deno.readTextFile(`${box.configDir}/auth.json`).catch(() => "{}"),
  );
  assertEquals(stored.user, "octocat");
  assertEquals(await c.sendRequest("signInInitiate", {}), {
    status: "AlreadySignedIn",
    user: "octocat",
  });
  assertEquals(await c.sendRequest("signOut", {}), { status: "NotSignedIn" });
  assertEquals(await c.sendRequest("checkStatus", {}), { status: "NotSignedIn" });
  assertEquals(await lsp.stop(), 0);
  assertEquals(fake.stats.deviceCodes, 1);
  assert(!(await lsp.stderr()).includes(DEFAULT_GITHUB_TOKEN));
});

Deno.test("lsp: not signed in, the first completion offers the device flow once", async () => {
  await using fake = await startFake();
  await using box = await sandbox(fake);
  await using lsp = startLsp(box.env, ["--debounce", "0"]);
  await lsp.initialize({ capabilities: { window: { showDocument: { support: true } } } });
  await openFib(lsp);
  lsp.answerMessageRequest = (params) => (params as { actions: { title: string }[] }).actions[0];
  const ask = () =>
    lsp.connection.sendRequest("textDocument/completion", {
      textDocument: { uri: URI },
      position: AT,
    });
  assertEquals(await ask(), { isIncomplete: true, items: [] });
  assertEquals(await ask(), { isIncomplete: true, items: [] });
  await until(() => lsp.serverRequests.some((r) => r.method === "window/showDocument"));
  const offers = lsp.serverRequests.filter((r) => r.method === "window/showMessageRequest");
  assertEquals(offers.length, 1);
  const { message } = offers[0]!.params as { message: string };
  assert(
    message.includes("WDJB-MJHT") && message.includes("https://github.com/login/device"),
    message,
  );
  assertEquals(
    lsp.serverRequests.find((r) => r.method === "window/showDocument")?.params,
    { uri: "https://github.com/login/device", external: true },
  );
  await until(() =>
    lsp.notifications.some((n) =>
      n.method === "window/showMessage" &&
      (n.params as { message: string }).message === "Copilot: signed in as octocat"
    )
  );
  const items = (await ask() as { items: unknown[] }).items;
  assertEquals(items.length, 1);
  assertEquals(fake.stats.deviceCodes, 1);
  assertEquals(await lsp.stop(), 0);
});

Deno.test("lsp: checkStatus without Copilot access is NotAuthorized, with the user", async () => {
  await using fake = await startFake({ exchange: { mode: "no_access" } });
  fake.addGitHubToken(TOKEN, "octocat");
  await using box = await sandbox(fake);
  box.env.COPILOT_GITHUB_TOKEN = TOKEN;
  await using lsp = startLsp(box.env);
  await lsp.initialize();
  assertEquals(await lsp.connection.sendRequest("checkStatus", {}), {
    status: "NotAuthorized",
    user: "octocat",
  });
  assertEquals(await lsp.stop(), 0);
});
