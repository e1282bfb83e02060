/**
 * The two steps every `GET {api}/copilot_internal/*` call shares (plan and
 * quotas in copilot_user.ts, content exclusion in copilot/exclusion.ts): find
 * the GitHub credential the current session token was exchanged from, and send
 * the request with it and the preset's REST headers (docs/copilot-protocol.md §2.4).
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import type { Settings } from "../base/settings.ts";
import { send } from "../net/http.ts";
import { resolveIdentity, restHeaders } from "../net/identity.ts";
import type { GitHubCredential } from "./credential.ts";
import { fingerprint } from "./session.ts";

/** What a copilot_internal request takes from the settings. */
export type CopilotInternalSettings = Pick<Settings, "urls" | "net" | "identity">;

/**
 * The credential whose token has the fingerprint `sessionFingerprint` (the one
 * the session was exchanged from), else the first one found; `undefined` when
 * nobody is logged in.
 */
export async function sessionCredential(
  settings: Settings,
  sessionFingerprint: string,
): Promise<GitHubCredential | undefined> {
  const { findCredentials } = await import("./credentials.ts");
  const credentials = await findCredentials(settings);
  let credential = credentials[0];
  for (const candidate of credentials) {
    if (await fingerprint(candidate.token) === sessionFingerprint) credential = candidate;
  }
  return credential;
}

/**
 * Sends `GET {api}/copilot_internal/{path}` (path with its query) with
 * `credential`'s token; resolves with the response, unchecked, and the host
 * it went to (for error messages).
 */
export async function getCopilotInternal(
  credential: GitHubCredential,
  path: string,
  settings: CopilotInternalSettings,
  signal?: AbortSignal,
): Promise<{ res: Response; host: string }> {
  const url = `${upstreams(credential.host, settings.urls).api}/copilot_internal/${path}`;
  const res = await send(url, {
    headers: {
      ...restHeaders(resolveIdentity(settings.identity), "copilotUser", credential.token),
      Accept: "application/json",
    },
    net: settings.net,
    ...(signal ? { signal } : {}),
  });
  return { res, host: new URL(url).host };
}
