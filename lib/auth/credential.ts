/**
 * The shape every GitHub token source returns (types only, so the stores
 * need not import the module that combines them).
 *
 * @module
 */

/** A GitHub token and where it was found. */
export interface GitHubCredential {
  /** The GitHub token; never print it. */
  token: string;
  /** Where it came from, for `copilot status`: "environment (COPILOT_GITHUB_TOKEN)", ... */
  source: string;
  /** The GitHub host it belongs to. */
  host: string;
  /** The login name, when the store knows it. */
  user?: string;
}
