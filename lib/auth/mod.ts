/**
 * The one entry point to authentication for the commands and the client:
 * find the GitHub login (env → own login → copilot.vim), open the session,
 * save a login, log out, and describe it all for `copilot status`. Only this
 * folder touches the token stores and the session cache.
 *
 * Loaded by every `copilot complete`: the stores it does not need on a warm
 * run (copilot.vim's, the exchange, `/user`) are imported lazily below it.
 *
 * @module
 */

import { CopilotError } from "../base/errors.ts";
import { upstreams } from "../base/config.ts";
import { requireConfigDir, type Settings } from "../base/settings.ts";
import { findCredentials } from "./credentials.ts";
import type { CredentialKind, GitHubCredential } from "./credential.ts";
import type { DeviceLogin } from "./device_login.ts";
import { deleteLogin, loginPath, type StoredLogin } from "./login_store.ts";
import { fingerprint, Session, type SessionToken } from "./session.ts";

export type { CredentialKind, GitHubCredential, SessionToken, StoredLogin };
export { findCredentials, Session };
export { type SearchedPlace, searchedPlaces } from "./credentials.ts";
export { saveLogin } from "./save_login.ts";
export type { DeviceLogin, StoredDeviceLogin } from "./device_login.ts";

/**
 * Starts a device-flow login to `host` (see device_login.ts); loaded only
 * when someone logs in, so a warm `copilot complete` never loads the flow.
 */
export async function startDeviceLogin(
  settings: Settings,
  host: string,
  signal?: AbortSignal,
): Promise<DeviceLogin> {
  return (await import("./device_login.ts")).startDeviceLogin(settings, host, signal);
}

/** The session of the current login, over the settings' config dir. */
export function openSession(settings: Settings): Session {
  return new Session({ settings });
}

/** What {@linkcode logout} did, and what copilot would still use. */
export interface LogoutReport {
  /** The own login file. */
  loginPath: string;
  /** Whether a login was removed. */
  hadLogin: boolean;
  /** Whether a cached session token was removed. */
  hadSession: boolean;
  /** The credential still in use afterwards (the environment, copilot.vim), if any. */
  remaining: GitHubCredential | undefined;
}

/**
 * Deletes the own login, the cached session token and any temp files a
 * killed write left; never touches copilot.vim's files.
 */
export async function logout(settings: Settings): Promise<LogoutReport> {
  const dir = requireConfigDir(settings);
  const hadLogin = await deleteLogin(dir);
  const hadSession = await openSession(settings).clear();
  const [remaining] = await findCredentials(settings).catch(() => []);
  return { loginPath: loginPath(dir), hadLogin, hadSession, remaining };
}

/** Where a credential comes from, for people: the own store names its file. */
export function describeSource(settings: Settings, credential: GitHubCredential): string {
  return credential.kind === "login"
    ? `${credential.source} (${loginPath(requireConfigDir(settings))})`
    : credential.source;
}

/** The login as `copilot status` reports it. */
export interface AuthStatus {
  /** The credential in use (the one the session was made from, when there is one). */
  credential: GitHubCredential;
  /** Its kind. */
  kind: CredentialKind;
  /** Where it comes from, for people, with the file where there is one. */
  source: string;
  /** A working session token, from the cache or a new exchange. */
  session: SessionToken | undefined;
  /** Why there is no session token. */
  failure: CopilotError | undefined;
}

/**
 * The current login and whether Copilot access works; undefined when not
 * logged in. Exchanges a session token when none is cached.
 */
export async function authStatus(
  settings: Settings,
  signal?: AbortSignal,
): Promise<AuthStatus | undefined> {
  const credentials = await findCredentials(settings);
  if (credentials.length === 0) return undefined;
  let session: SessionToken | undefined;
  let failure: CopilotError | undefined;
  try {
    session = await openSession(settings).get(signal);
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    failure = err;
  }
  // The credential the session was made from (copilot.vim may offer several).
  let credential = credentials[0]!;
  for (const candidate of credentials) {
    if (session && await fingerprint(candidate.token) === session.fingerprint) {
      credential = candidate;
      break;
    }
  }
  const source = describeSource(settings, credential);
  return { credential, kind: credential.kind, source, session, failure };
}

/** Who `credential` belongs to, asked of GitHub (`/user`). */
export async function userOf(
  settings: Settings,
  credential: GitHubCredential,
  signal?: AbortSignal,
): Promise<string> {
  const { fetchUser } = await import("./github_user.ts");
  const { resolveIdentity } = await import("../net/identity.ts");
  return await fetchUser(upstreams(credential.host, settings.urls).api, credential.token, {
    net: settings.net,
    identity: resolveIdentity(settings.identity),
    ...(signal ? { signal } : {}),
  });
}

/**
 * The plan and quotas of the current login (`copilot_internal/user`, as sent):
 * cached once per session token, fetched when the cache is for another one.
 */
export async function copilotUsage(
  settings: Settings,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { copilotUser } = await import("./copilot_user.ts");
  return await copilotUser(settings, openSession(settings), signal);
}
