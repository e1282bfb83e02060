/**
 * `copilot status`: who is logged in, where the token comes from, the host,
 * and whether Copilot access works (a session token from the cache or a new
 * exchange). Never prints a token.
 *
 * @module
 */

import { upstreams } from "../base/config.ts";
import { findCredentials, type GitHubCredential } from "../auth/credentials.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { fetchUser } from "../auth/github_user.ts";
import { Session, type SessionToken } from "../auth/session.ts";
import { loginPath } from "../auth/login_store.ts";

/** One field of a session token (`key=value;...:signature`), e.g. `sku`. */
export function sessionField(token: string, key: string): string | undefined {
  const fields = token.split(":")[0] ?? "";
  for (const pair of fields.split(";")) {
    const [name, value] = pair.split("=");
    if (name === key && value) return value;
  }
  return undefined;
}

/** Where the token comes from, for people: the own store names its file. */
function describeSource(credential: GitHubCredential): string {
  return credential.source === "copilot login"
    ? `copilot login (${loginPath()})`
    : credential.source;
}

/** "ok" line of a working session: plan and how long the session token lasts. */
function describeSession(session: SessionToken, now: number): string {
  const details: string[] = [];
  const sku = sessionField(session.token, "sku");
  if (sku) details.push(`plan ${sku}`);
  const minutes = Math.floor((session.expiresAt - now / 1000) / 60);
  if (minutes >= 0) details.push(`session token valid for ${minutes} min`);
  return `access works${details.length ? ` (${details.join(", ")})` : ""}`;
}

/** Who `credential` belongs to, or why GitHub would not say. */
async function who(credential: GitHubCredential, signal: AbortSignal): Promise<string> {
  try {
    return await fetchUser(upstreams(credential.host).api, credential.token, { signal });
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    return `${credential.user ?? "unknown"} (GitHub: ${err.message})`;
  }
}

/**
 * Runs `copilot status`: prints the report on stdout and resolves with 0, or
 * throws the {@linkcode CopilotError} that says why Copilot does not work.
 */
export async function status(signal: AbortSignal): Promise<number> {
  const credentials = await findCredentials();
  if (credentials.length === 0) {
    throw new CopilotError("not logged in; run `copilot login`", { exitCode: ExitCode.Auth });
  }
  let session: SessionToken | undefined;
  let failure: CopilotError | undefined;
  try {
    session = await new Session().get(signal);
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    failure = err;
  }
  // The credential the session was made from (copilot.vim may offer several).
  const credential =
    credentials.find((c) => c.source === session?.source && c.host === session.host) ??
      credentials[0]!;
  const lines = [
    `User:    ${await who(credential, signal)}`,
    `Host:    ${credential.host}`,
    `Source:  ${describeSource(credential)}`,
    `Copilot: ${session ? describeSession(session, Date.now()) : "no access"}`,
  ];
  console.log(lines.join("\n"));
  if (failure) throw failure;
  return ExitCode.Ok;
}
