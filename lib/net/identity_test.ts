/** Tests of the identity presets: every hop's exact headers under each preset, and the overrides. */

import { assert, assertEquals, assertMatch, assertNotEquals, assertThrows } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import {
  describeIdentity,
  type Hop,
  hopHeaders,
  HOPS,
  identityHint,
  perAttempt,
  PRESETS,
  resolveIdentity,
  restHeaders,
} from "./identity.ts";

const IDS = { machineId: "a".repeat(64), deviceId: "00000000-0000-4000-8000-000000000000" };

const LS = {
  "Editor-Version": "Neovim/0.11.4",
  "Editor-Plugin-Version": "copilot.vim/1.55.0",
  "Copilot-Language-Server-Version": "1.539.0",
  "User-Agent": "GithubCopilot/1.539.0",
};
const FETCHER = {
  "User-Agent": "GitHubCopilotChat/0.60.0",
  "X-VSCode-User-Agent-Library-Version": "electron-fetch",
};
const MIXIN = {
  "Copilot-Integration-Id": "vscode-chat",
  "Editor-Version": "vscode/1.132.0",
  "Editor-Plugin-Version": "copilot-chat/0.60.0",
  "Editor-Device-Id": IDS.deviceId,
  "VScode-SessionId": "{session}",
  "VScode-MachineId": IDS.machineId,
};

/** Written out by hand from docs/copilot-protocol.md (sections 1.4–4.3), not from the table. */
const EXPECTED: Record<string, Record<Hop, [string | null, Record<string, string>]>> = {
  vim: {
    device: [null, { Accept: "application/json", "Content-Type": "application/json", ...LS }],
    user: ["Bearer", { Accept: "application/json", ...LS }],
    exchange: ["Bearer", { ...LS, "X-GitHub-Api-Version": "2024-12-15" }],
    copilotUser: ["Bearer", { ...LS, "X-GitHub-Api-Version": "2025-05-01" }],
    completions: ["Bearer", {
      "Content-Type": "application/json",
      "X-Request-Id": "{request}",
      "Openai-Organization": "github-copilot",
      "VScode-SessionId": "{session}",
      "VScode-MachineId": IDS.machineId,
      "X-Copilot-Async": "true",
      "X-Copilot-Speculative": "false",
      ...LS,
      "X-GitHub-Api-Version": "2026-01-09",
    }],
    chat: ["Bearer", {
      "Content-Type": "application/json",
      "X-Request-Id": "{request}",
      "Openai-Organization": "github-copilot",
      "Copilot-Integration-Id": "jetbrains-chat",
      "VScode-SessionId": "{session}",
      "VScode-MachineId": IDS.machineId,
      "X-Interaction-Id": "{uuid}",
      "X-Interaction-Type": "conversation-panel",
      ...LS,
      "X-GitHub-Api-Version": "2026-01-09",
    }],
    models: ["Bearer", {
      "X-Request-Id": "{request}",
      "Copilot-Integration-Id": "jetbrains-chat",
      ...LS,
      "X-GitHub-Api-Version": "2026-06-01",
    }],
  },
  vscode: {
    device: [null, {
      Accept: "application/json",
      "Content-Type": "application/json",
      "User-Agent": "Visual-Studio-Code",
    }],
    user: ["token", { "User-Agent": "Visual-Studio-Code" }],
    exchange: ["token", { ...FETCHER, "X-GitHub-Api-Version": "2025-04-01" }],
    copilotUser: ["token", { ...FETCHER, "X-GitHub-Api-Version": "2025-04-01" }],
    completions: ["Bearer", {
      "Content-Type": "application/json",
      "X-Request-Id": "{request}",
      "Openai-Organization": "github-copilot",
      "Editor-Version": "vscode/1.132.0",
      "Editor-Plugin-Version": "copilot-chat/0.60.0",
      "Copilot-Language-Server-Version": "0.60.0",
      "VScode-SessionId": "{session}",
      "VScode-MachineId": IDS.machineId,
      "X-Copilot-Async": "true",
      "X-Copilot-Speculative": "false",
      "x-policy-id": "nil",
      ...FETCHER,
      "X-GitHub-Api-Version": "2025-05-01",
    }],
    chat: ["Bearer", {
      "Content-Type": "application/json",
      "X-Request-Id": "{request}",
      ...MIXIN,
      "X-Interaction-Id": "{uuid}",
      "X-Interaction-Type": "conversation-panel",
      "X-Agent-Task-Id": "{request}",
      ...FETCHER,
      "X-GitHub-Api-Version": "2026-06-01",
    }],
    models: ["Bearer", {
      "X-Request-Id": "{request}",
      "OpenAI-Intent": "model-access",
      "X-Interaction-Type": "model-access",
      "X-Agent-Task-Id": "{request}",
      ...MIXIN,
      ...FETCHER,
      "X-GitHub-Api-Version": "2026-06-01",
    }],
  },
};

Deno.test("every hop of every preset sends exactly the documented headers", () => {
  assertEquals(Object.keys(PRESETS), Object.keys(EXPECTED));
  for (const [name, hops] of Object.entries(EXPECTED)) {
    const identity = resolveIdentity({ COPILOT_CLIENT: name });
    for (const hop of HOPS) {
      const [scheme, headers] = hops[hop];
      const sessionId = hopHeaders(identity, hop, IDS)["VScode-SessionId"];
      const expected = Object.fromEntries(
        Object.entries(headers).map((
          [key, value],
        ) => [key, value === "{session}" ? sessionId : value]),
      );
      assertEquals(hopHeaders(identity, hop, IDS), expected, `${name} ${hop}`);
      assertEquals(identity.preset.hops[hop].auth, scheme, `${name} ${hop} scheme`);
    }
  }
});

Deno.test("no hop of any preset mixes in the other preset's client", () => {
  for (const hop of HOPS) {
    // Values only: the LS also names its session header VScode-SessionId.
    const vim = JSON.stringify(Object.values(hopHeaders(resolveIdentity({}), hop, IDS)));
    const vscode = JSON.stringify(
      Object.values(hopHeaders(resolveIdentity({ COPILOT_CLIENT: "vscode" }), hop, IDS)),
    );
    assert(!/vscode|Visual-Studio|CopilotChat|copilot-chat|electron/i.test(vim), vim);
    assert(!/GithubCopilot\/|Neovim|copilot\.vim|jetbrains/.test(vscode), vscode);
  }
});

Deno.test("the default preset is vim; names are case-insensitive; an unknown one is a usage error", () => {
  assertEquals(resolveIdentity({}).preset.name, "vim");
  assertEquals(resolveIdentity({ COPILOT_CLIENT: "VSCode" }).preset.name, "vscode");
  const err = assertThrows(() => resolveIdentity({ COPILOT_CLIENT: "emacs" }), CopilotError);
  assertEquals(err.exitCode, ExitCode.Usage);
  assertEquals(err.message, 'unknown COPILOT_CLIENT "emacs"; use one of: vim, vscode');
});

Deno.test("the six variables override single values on every hop that sends them", () => {
  const identity = resolveIdentity({
    COPILOT_USER_AGENT: "GithubCopilot/1.600.0",
    COPILOT_EDITOR_VERSION: "Vim/9.1.1230",
    COPILOT_EDITOR_PLUGIN_VERSION: "copilot.vim/1.60.0",
    COPILOT_INTEGRATION_ID: "copilot-vim",
    COPILOT_GITHUB_API_VERSION: "2026-02-02",
    COPILOT_API_VERSION: "2026-03-03",
  });
  const exchange = hopHeaders(identity, "exchange");
  assertEquals(exchange["User-Agent"], "GithubCopilot/1.600.0");
  // The language server's version follows its User-Agent.
  assertEquals(exchange["Copilot-Language-Server-Version"], "1.600.0");
  assertEquals(exchange["X-GitHub-Api-Version"], "2026-02-02");
  assertEquals(hopHeaders(identity, "copilotUser")["X-GitHub-Api-Version"], "2026-02-02");
  assertEquals(hopHeaders(identity, "device")["X-GitHub-Api-Version"], undefined);
  assertEquals(hopHeaders(identity, "user")["X-GitHub-Api-Version"], undefined);
  for (const hop of ["completions", "chat", "models"] as const) {
    assertEquals(hopHeaders(identity, hop, IDS)["X-GitHub-Api-Version"], "2026-03-03");
    assertEquals(hopHeaders(identity, hop, IDS)["Editor-Version"], "Vim/9.1.1230");
  }
  assertEquals(hopHeaders(identity, "chat", IDS)["Copilot-Integration-Id"], "copilot-vim");
  assertEquals(identity.overridden.length, 6);
  const vscode = resolveIdentity({
    COPILOT_CLIENT: "vscode",
    COPILOT_EDITOR_PLUGIN_VERSION: "copilot-chat/0.70.1",
  });
  assertEquals(hopHeaders(vscode, "completions", IDS)["Copilot-Language-Server-Version"], "0.70.1");
});

Deno.test("per-attempt ids: one request id shared, a fresh interaction id", () => {
  const template = hopHeaders(resolveIdentity({ COPILOT_CLIENT: "vscode" }), "chat", IDS);
  const first = perAttempt(template);
  const second = perAttempt(template);
  assertMatch(first["X-Request-Id"]!, /^[0-9a-f-]{36}$/);
  assertEquals(first["X-Agent-Task-Id"], first["X-Request-Id"]);
  assertNotEquals(first["X-Interaction-Id"], first["X-Request-Id"]);
  assertNotEquals(second["X-Request-Id"], first["X-Request-Id"]);
  assertMatch(first["VScode-SessionId"]!, /^[0-9a-f-]{36}\d{13}$/);
  assertEquals(first["VScode-SessionId"], second["VScode-SessionId"]);
});

Deno.test("restHeaders: Authorization in the hop's scheme first", () => {
  const headers = restHeaders(resolveIdentity({}), "exchange", "ghu_x");
  assertEquals(Object.keys(headers)[0], "Authorization");
  assertEquals(headers.Authorization, "Bearer ghu_x");
  const vscode = restHeaders(resolveIdentity({ COPILOT_CLIENT: "vscode" }), "user", "ghu_x");
  assertEquals(vscode.Authorization, "token ghu_x");
});

Deno.test("status line and 466 hint name the preset and the variables", () => {
  assertEquals(
    describeIdentity(resolveIdentity({ COPILOT_USER_AGENT: "GithubCopilot/1.600.0" })),
    "vim: the Copilot language server as copilot.vim runs it " +
      "(GithubCopilot/1.600.0, Neovim/0.11.4, copilot.vim/1.55.0; overridden: COPILOT_USER_AGENT)",
  );
  assertEquals(
    identityHint(),
    "switch COPILOT_CLIENT (vim, vscode) or set COPILOT_EDITOR_VERSION, " +
      "COPILOT_EDITOR_PLUGIN_VERSION, COPILOT_USER_AGENT, COPILOT_INTEGRATION_ID, " +
      "COPILOT_GITHUB_API_VERSION, COPILOT_API_VERSION to newer values (see README)",
  );
});
