/**
 * The shape every GitHub token source returns (types only, so the stores
 * need not import the module that combines them).
 *
 * @module
 */

/** Which store a credential came from: decisions use this, never the display `source`. */
export type CredentialKind = "env" | "login" | "plugin";

/** A GitHub token and where it was found. */
export interface GitHubCredential {
  /** The GitHub token; never print it. */
  token: string;
  /** Which store it came from. */
  kind: CredentialKind;
  /** Where it came from, for people: "environment (COPILOT_GITHUB_TOKEN)", ... */
  source: string;
  /** The GitHub host it belongs to. */
  host: string;
  /** The login name, when the store knows it. */
  user?: string;
}
