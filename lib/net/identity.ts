/**
 * The client identity Copilot checks, defined once. Each value can be
 * overridden by an environment variable, so users can fix a "client not
 * supported" (466) answer without waiting for a release. The variables are
 * read by the caller (`Settings.identity`) and passed in as `overrides`.
 *
 * @module
 */

/** One identity header, its default and the variable that overrides it. */
export interface IdentityField {
  /** HTTP header name. */
  header: string;
  /** Environment variable that overrides the value. */
  variable: string;
  /** Value sent when the variable is unset. */
  fallback: string;
}

/** Every identity header with its override variable. */
export const IDENTITY_FIELDS = {
  editorVersion: {
    header: "Editor-Version",
    variable: "COPILOT_EDITOR_VERSION",
    fallback: "vscode/1.104.3",
  },
  editorPluginVersion: {
    header: "Editor-Plugin-Version",
    variable: "COPILOT_EDITOR_PLUGIN_VERSION",
    fallback: "copilot-chat/0.26.7",
  },
  userAgent: {
    header: "User-Agent",
    variable: "COPILOT_USER_AGENT",
    fallback: "GitHubCopilotChat/0.26.7",
  },
  integrationId: {
    header: "Copilot-Integration-Id",
    variable: "COPILOT_INTEGRATION_ID",
    fallback: "vscode-chat",
  },
  /** Sent to GitHub's REST API (`/user`, the token exchange). */
  apiVersion: {
    header: "X-GitHub-Api-Version",
    variable: "COPILOT_GITHUB_API_VERSION",
    fallback: "2025-04-01",
  },
  /** Sent to Copilot (completions, chat, models). */
  copilotApiVersion: {
    header: "X-GitHub-Api-Version",
    variable: "COPILOT_API_VERSION",
    fallback: "2025-05-01",
  },
} as const satisfies Record<string, IdentityField>;

/** Name of an identity field. */
export type IdentityName = keyof typeof IDENTITY_FIELDS;

/** Values of the override variables, by variable name (`COPILOT_EDITOR_VERSION`: ...). */
export type IdentityOverrides = Readonly<Record<string, string | undefined>>;

/** The value of one identity field, its override applied. */
export function identity(name: IdentityName, overrides: IdentityOverrides = {}): string {
  const field = IDENTITY_FIELDS[name];
  return overrides[field.variable] || field.fallback;
}

/**
 * Headers that carry the named identity fields, overrides applied.
 *
 * @example
 * ```ts
 * import { identityHeaders } from "./identity.ts";
 * const headers = identityHeaders({ COPILOT_USER_AGENT: "me/1" }, "userAgent");
 * console.assert(headers["User-Agent"] === "me/1");
 * ```
 */
export function identityHeaders(
  overrides: IdentityOverrides,
  ...names: IdentityName[]
): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => [IDENTITY_FIELDS[name].header, identity(name, overrides)]),
  );
}

/** One line naming the override variables, for a 466 "client not supported" answer. */
export function identityHint(): string {
  return `set ${
    Object.values(IDENTITY_FIELDS).map((field) => field.variable).join(", ")
  } to newer values (see README)`;
}
