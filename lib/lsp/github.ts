/**
 * GitHub's own method set, so clients written for GitHub's language server
 * (copilot.vim, copilot.lua, copilot.el, Sublime's LSP-copilot) work with
 * `copilot lsp`: completions (`getCompletions`, `getCompletionsCycling`,
 * `getPanelCompletions`), telemetry hooks (answered, nothing sent), sign-in,
 * status, version and quota. Shapes follow docs of the wire audit, section 3.
 *
 * @module
 */

import { FINISH_SIGN_IN_COMMAND } from "./account.ts";
import type { Position } from "./documents.ts";
import { ACCEPT_COMMAND, githubCompletion } from "./results.ts";
import { ErrorCode, ResponseError } from "./rpc.ts";
import { type Cursor, type LanguageServer, VERSION } from "./server.ts";

/** `getCompletions`' params: the new shape (`textDocument`, `position`) or the old `doc`. */
interface GitHubParams {
  textDocument?: { uri: string; version?: number };
  position?: Position;
  doc?: {
    uri?: string;
    position?: Position;
    version?: number;
    languageId?: string;
    relativePath?: string;
    source?: string;
  };
  panelId?: string;
}

/** The cursor of a GitHub completion request. */
function cursorOf(params: unknown, n: number, automatic: boolean): Cursor {
  const p = (params ?? {}) as GitHubParams;
  const uri = p.textDocument?.uri ?? p.doc?.uri;
  const position = p.position ?? p.doc?.position;
  if (uri === undefined || position === undefined) {
    throw new ResponseError(ErrorCode.InvalidParams, "a document uri and a position are needed");
  }
  const cursor: Cursor = { uri, position, n, automatic };
  if (p.doc?.relativePath) cursor.relativePath = p.doc.relativePath;
  if (typeof p.doc?.source === "string") {
    const { source: text, languageId = "", version = 0 } = p.doc;
    cursor.source = { text, languageId, version };
  }
  return cursor;
}

/** Registers GitHub's completion methods. */
function completionMethods(server: LanguageServer): void {
  const c = server.connection;
  const completions =
    (n: number, automatic: boolean) =>
    async (params: unknown, { signal }: { signal: AbortSignal }) => {
      server.notices.githubStatus = true;
      const { placed } = await server.suggest(cursorOf(params, n, automatic), signal);
      return { completions: placed.map(githubCompletion) };
    };
  c.onRequest("getCompletions", completions(1, true));
  c.onRequest("getCompletionsCycling", completions(3, false));
  c.onRequest("getPanelCompletions", (params) => {
    const cursor = { ...cursorOf(params, 3, false), lane: "panel" };
    const panelId = (params as GitHubParams).panelId ?? "";
    // Answered at once; the solutions follow as notifications, as GitHub's server does.
    server.suggest(cursor, new AbortController().signal).then(async ({ placed }) => {
      for (const one of placed) {
        const { text, displayText, range } = githubCompletion(one);
        await c.notify("PanelSolution", {
          panelId,
          completionText: text,
          displayText,
          range,
          score: 0,
          solutionId: one.uuid,
        });
      }
      await c.notify("PanelSolutionsDone", { panelId, status: "OK" });
    }).catch((err) =>
      c.notify("PanelSolutionsDone", {
        panelId,
        status: "Error",
        message: String(err?.message ?? err),
      })
    );
    return { solutionCountTarget: cursor.n };
  });
  // Telemetry hooks: acknowledged; nothing is sent upstream.
  for (const method of ["notifyShown", "notifyAccepted", "notifyRejected"]) {
    c.onRequest(method, () => "OK");
  }
  for (
    const method of ["textDocument/didShowCompletion", "textDocument/didPartiallyAcceptCompletion"]
  ) {
    c.onNotification(method, () => {});
    c.onRequest(method, () => null);
  }
}

/** Registers GitHub's account, status and version methods. */
function accountMethods(server: LanguageServer): void {
  const c = server.connection;
  const { account } = server;
  c.onRequest("checkStatus", (params, { signal }) => {
    server.notices.githubStatus = true;
    const local = (params as { options?: { localChecksOnly?: boolean } } | null)?.options;
    return account.status(local?.localChecksOnly === true, signal);
  });
  const initiate = async (_params: unknown, { signal }: { signal: AbortSignal }) => {
    const status = await account.status(true, signal);
    if (status.status === "MaybeOk") return { status: "AlreadySignedIn", user: status.user };
    const code = await account.initiate(signal);
    return {
      status: "PromptUserDeviceFlow",
      ...code,
      command: { title: "Sign in", command: FINISH_SIGN_IN_COMMAND, arguments: [] },
    };
  };
  c.onRequest("signInInitiate", initiate);
  c.onRequest("signIn", initiate);
  c.onRequest("signInConfirm", async (params) => {
    const userCode = (params as { userCode?: string } | null)?.userCode;
    return { status: "OK", user: await account.confirm(userCode) };
  });
  c.onRequest("signOut", () => account.signOut());
  c.onRequest("checkQuota", (_params, { signal }) => account.quota(signal));
  c.onRequest("getVersion", () => ({
    version: VERSION,
    buildType: "prod",
    runtimeVersion: `deno/${Deno.version.deno}`,
  }));
  c.onRequest("setEditorInfo", (params) => {
    server.editorInfo = params;
    server.notices.githubStatus = true;
    return "OK";
  });
  c.onRequest("workspace/executeCommand", async (params) => {
    const { command } = params as { command: string };
    if (command === FINISH_SIGN_IN_COMMAND) {
      return { status: "OK", user: await account.confirm(undefined) };
    }
    if (command === ACCEPT_COMMAND) return null;
    throw new ResponseError(ErrorCode.InvalidParams, `unknown command ${command}`);
  });
}

/** Registers GitHub's method set on `server`. */
export function registerGitHubMethods(server: LanguageServer): void {
  completionMethods(server);
  accountMethods(server);
}
