/**
 * THE table of client identities: every value and API version this tool
 * presents to GitHub and Copilot, per preset and per hop, each with the
 * source it was taken from. A release that follows GitHub changes this file
 * only (and the fake's expectations, which check it independently).
 *
 * Sources (details in docs/copilot-protocol.md, sections 0.1 to 4.3):
 * - LS: `@github/copilot-language-server` 1.539.0 from npm (`dist/main.js`;
 *   `vE` editor headers, `dp` apiFetch, `OY` postRequest, `Ff` getCapiHeaders,
 *   `Zze` getIntegrationId, `requestDeviceFlowStage1`, `authFromGitHubSession`).
 * - vim: github/copilot.vim `autoload/copilot/client.vim` (`EditorInfo`,
 *   `EditorPluginInfo`): `Neovim/<nvim version>` + `copilot.vim/<plugin version>`.
 * - VSC: microsoft/vscode-copilot-chat 0.42 / the copilot-chat 0.60.0 sources
 *   embedded in LS 1.539.0 (engines `vscode ^1.132.0`), `@vscode/copilot-api`
 *   `CAPIClient._mixinHeaders` (the chat/models API version on the wire).
 * - GHA: microsoft/vscode `extensions/github-authentication/src/githubServer.ts`,
 *   the extension through which real VS Code signs in to GitHub.
 *
 * @module
 */

/** Every hop this tool sends, in the order of a session. */
export const HOPS = [
  "device",
  "user",
  "exchange",
  "copilotUser",
  "completions",
  "chat",
  "models",
] as const;

/** One hop: `device` is both device-flow requests, `copilotUser` is `copilot_internal/*`. */
export type Hop = typeof HOPS[number];

/** The values a header template may name as `{name}`. */
export interface IdentityValues {
  /** `User-Agent` of the client proper (LS or Copilot Chat). */
  userAgent: string;
  /** `Editor-Version`. */
  editorVersion: string;
  /** `Editor-Plugin-Version`. */
  editorPluginVersion: string;
  /** `Copilot-Language-Server-Version`. */
  languageServerVersion: string;
  /** `Copilot-Integration-Id` (chat, models). */
  integrationId: string;
  /** `User-Agent` of the GitHub sign-in (device flow, `/user`). */
  signInUserAgent: string;
  /** `X-VSCode-User-Agent-Library-Version`: the fetcher VS Code uses. */
  libraryVersion: string;
}

/** How one hop is sent. */
export interface HopSpec {
  /** Scheme of `Authorization` (`token` or `Bearer`); null: none (device flow). */
  auth: "token" | "Bearer" | null;
  /** `X-GitHub-Api-Version`; null: not sent. */
  apiVersion: string | null;
  /**
   * Every other header, in order. A value is a literal, a `{name}` of
   * {@linkcode IdentityValues}, `{machineId}` / `{deviceId}` / `{sessionId}`
   * (the per-install and per-process ids), `{request}` (a fresh UUID per
   * attempt, the same in every header that names it) or `{uuid}` (another).
   */
  headers: Readonly<Record<string, string>>;
}

/** One complete client identity. */
export interface Preset {
  /** The name `COPILOT_CLIENT` takes. */
  name: string;
  /** What it imitates, for `copilot status` and the README. */
  description: string;
  /** The device flow's `scope`. */
  scope: string;
  /** Default values. */
  values: IdentityValues;
  /** The value `Copilot-Language-Server-Version` follows when that one is overridden. */
  languageServerVersionFrom: "userAgent" | "editorPluginVersion";
  /** Every hop. */
  hops: Readonly<Record<Hop, HopSpec>>;
}

/** LS 1.539.0 (npm `latest`, 2026-09-25): its `User-Agent` and `getVersion()`. */
const LS_VERSION = "1.539.0";
/** copilot-chat 0.60.0, embedded in LS 1.539.0; needs VS Code ^1.132.0. */
const CHAT_VERSION = "0.60.0";

/** What the LS adds to every GitHub request (`vE`): the editor's names and its own version. */
const LS_EDITOR = {
  "Editor-Version": "{editorVersion}",
  "Editor-Plugin-Version": "{editorPluginVersion}",
  "Copilot-Language-Server-Version": "{languageServerVersion}",
  "User-Agent": "{userAgent}",
} as const;

/** What VS Code's fetcher adds to every request (`baseFetchFetcher.ts`). */
const VSC_FETCHER = {
  "User-Agent": "{userAgent}",
  "X-VSCode-User-Agent-Library-Version": "{libraryVersion}",
} as const;

/** What `@vscode/copilot-api`'s mixin adds to CAPI requests (chat, models). */
const VSC_MIXIN = {
  "Copilot-Integration-Id": "{integrationId}",
  "Editor-Version": "{editorVersion}",
  "Editor-Plugin-Version": "{editorPluginVersion}",
  "Editor-Device-Id": "{deviceId}",
  "VScode-SessionId": "{sessionId}",
  "VScode-MachineId": "{machineId}",
} as const;

/**
 * (a) The language server as copilot.vim runs it: the same GitHub App as the
 * device flow, so this identity is one client from login to completion.
 */
const VIM: Preset = {
  name: "vim",
  description: "the Copilot language server as copilot.vim runs it",
  // LS `requestDeviceFlowStage1`: spi=["repo","workflow"].
  scope: "repo workflow",
  languageServerVersionFrom: "userAgent",
  values: {
    userAgent: `GithubCopilot/${LS_VERSION}`, // LS UndiciFetcher (lower-case h)
    // client.vim EditorInfo on Neovim: `NVIM v0.11.4` → "Neovim/0.11.4" (a released Neovim).
    editorVersion: "Neovim/0.11.4",
    // client.vim EditorPluginInfo; the plugin version is unconfirmed (copilot.vim ≥ 1.50 can
    // run the latest LS via `:Copilot upgrade`, copilot.vim #275).
    editorPluginVersion: "copilot.vim/1.55.0",
    languageServerVersion: LS_VERSION,
    // LS `Zze`: no copilotIntegrationId init option (copilot.vim sets none) → "jetbrains-chat".
    integrationId: "jetbrains-chat",
    signInUserAgent: "", // unused: the LS signs in with its own User-Agent
    libraryVersion: "", // unused: a VS Code header
  },
  hops: {
    // LS requestDeviceCode: JSON body, Accept JSON, vE headers, no auth or API version.
    device: {
      auth: null,
      apiVersion: null,
      headers: { Accept: "application/json", "Content-Type": "application/json", ...LS_EDITOR },
    },
    // LS requestUserInfo → dp (apiFetch): Bearer, Accept JSON, vE headers.
    user: {
      auth: "Bearer",
      apiVersion: null,
      headers: { Accept: "application/json", ...LS_EDITOR },
    },
    // LS authFromGitHubSession → dp: Bearer, 2024-12-15, vE headers.
    exchange: { auth: "Bearer", apiVersion: "2024-12-15", headers: { ...LS_EDITOR } },
    // LS checkQuota → dp: Bearer, 2025-05-01.
    copilotUser: { auth: "Bearer", apiVersion: "2025-05-01", headers: { ...LS_EDITOR } },
    // LS ghost text → OY: 2026-01-09, session and machine ids, async/speculative flags.
    completions: {
      auth: "Bearer",
      apiVersion: "2026-01-09",
      headers: {
        "Content-Type": "application/json",
        "X-Request-Id": "{request}",
        "Openai-Organization": "github-copilot",
        "VScode-SessionId": "{sessionId}",
        "VScode-MachineId": "{machineId}",
        "X-Copilot-Async": "true",
        "X-Copilot-Speculative": "false",
        ...LS_EDITOR,
      },
    },
    // LS Aes → OY: Ff sets 2026-06-01, OY overwrites it with 2026-01-09.
    chat: {
      auth: "Bearer",
      apiVersion: "2026-01-09",
      headers: {
        "Content-Type": "application/json",
        "X-Request-Id": "{request}",
        "Openai-Organization": "github-copilot",
        "Copilot-Integration-Id": "{integrationId}",
        "VScode-SessionId": "{sessionId}",
        "VScode-MachineId": "{machineId}",
        "X-Interaction-Id": "{uuid}",
        "X-Interaction-Type": "conversation-panel",
        ...LS_EDITOR,
      },
    },
    // LS TJ → Ff: 2026-06-01, no intent, no session/machine ids.
    models: {
      auth: "Bearer",
      apiVersion: "2026-06-01",
      headers: {
        "X-Request-Id": "{request}",
        "Copilot-Integration-Id": "{integrationId}",
        ...LS_EDITOR,
      },
    },
  },
};

/**
 * (b) The current VS Code Copilot Chat. Real VS Code signs in through its
 * github-authentication extension (its own OAuth app); this tool keeps the
 * LS app's client id and sends the device flow and `/user` as that extension
 * does.
 */
const VSCODE: Preset = {
  name: "vscode",
  description: "VS Code with GitHub Copilot Chat",
  // Copilot Chat's minimal sign-in scope (GITHUB_SCOPE_USER_EMAIL).
  scope: "user:email",
  languageServerVersionFrom: "editorPluginVersion",
  values: {
    userAgent: `GitHubCopilotChat/${CHAT_VERSION}`, // VSC baseFetchFetcher
    editorVersion: "vscode/1.132.0", // the oldest VS Code copilot-chat 0.60.0 runs on
    editorPluginVersion: `copilot-chat/${CHAT_VERSION}`,
    languageServerVersion: CHAT_VERSION, // VSC completions: BuildInfo.getVersion()
    integrationId: "vscode-chat", // VSC prod build
    signInUserAgent: "Visual-Studio-Code", // GHA (wire audit 1.3)
    libraryVersion: "electron-fetch", // VSC desktop's default fetcher
  },
  hops: {
    // GHA; VS Code Chat itself never runs this flow (unconfirmed beyond `/user`).
    device: {
      auth: null,
      apiVersion: null,
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "User-Agent": "{signInUserAgent}",
      },
    },
    // GHA githubServer.ts: `token`, its own User-Agent, nothing else.
    user: { auth: "token", apiVersion: null, headers: { "User-Agent": "{signInUserAgent}" } },
    // VSC fetchCopilotTokenFromGitHubToken: no Editor-* (not in the CAPI mixin set).
    exchange: { auth: "token", apiVersion: "2025-04-01", headers: { ...VSC_FETCHER } },
    // VSC chatQuotaService: `token`, 2025-04-01.
    copilotUser: { auth: "token", apiVersion: "2025-04-01", headers: { ...VSC_FETCHER } },
    // VSC openai/fetch.ts + completionsFetchServiceImpl.getHeaders + ghostText.ts.
    completions: {
      auth: "Bearer",
      apiVersion: "2025-05-01",
      headers: {
        "Content-Type": "application/json",
        "X-Request-Id": "{request}",
        "Openai-Organization": "github-copilot",
        "Editor-Version": "{editorVersion}",
        "Editor-Plugin-Version": "{editorPluginVersion}",
        "Copilot-Language-Server-Version": "{languageServerVersion}",
        "VScode-SessionId": "{sessionId}",
        "VScode-MachineId": "{machineId}",
        "X-Copilot-Async": "true",
        "X-Copilot-Speculative": "false",
        "x-policy-id": "nil",
        ...VSC_FETCHER,
      },
    },
    // VSC chatMLFetcher + CAPI mixin (copilot-chat 0.60: 2026-06-01 on the wire).
    chat: {
      auth: "Bearer",
      apiVersion: "2026-06-01",
      headers: {
        "Content-Type": "application/json",
        "X-Request-Id": "{request}",
        ...VSC_MIXIN,
        "X-Interaction-Id": "{uuid}",
        "X-Interaction-Type": "conversation-panel",
        "X-Agent-Task-Id": "{request}",
        ...VSC_FETCHER,
      },
    },
    // VSC modelMetadataFetcher → getRequest + mixin: no Content-Type on a GET.
    models: {
      auth: "Bearer",
      apiVersion: "2026-06-01",
      headers: {
        "X-Request-Id": "{request}",
        "OpenAI-Intent": "model-access",
        "X-Interaction-Type": "model-access",
        "X-Agent-Task-Id": "{request}",
        ...VSC_MIXIN,
        ...VSC_FETCHER,
      },
    },
  },
};

/** Every preset, by name; the first is the default. */
export const PRESETS: Readonly<Record<string, Preset>> = { vim: VIM, vscode: VSCODE };

/** The preset used when `COPILOT_CLIENT` is unset. */
export const DEFAULT_PRESET = "vim";
