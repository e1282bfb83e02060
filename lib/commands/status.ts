/**
 * `copilot status`: who is logged in, where the token comes from, the host,
 * the client identity presented to GitHub and Copilot, and whether Copilot
 * access works (a session token from the cache or a new exchange). Never
 * prints a token.
 *
 * @module
 */

import { authStatus, type GitHubCredential, type SessionToken, userOf } from "../auth/mod.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import { describeIdentity, resolveIdentity } from "../net/identity.ts";

/** One field of a session token (`key=value;...:signature`), e.g. `sku`. */
export function sessionField(token: string, key: string): string | undefined {
  const fields = token.split(":")[0] ?? "";
  for (const pair of fields.split(";")) {
    const [name, value] = pair.split("=");
    if (name === key && value) return value;
  }
  return undefined;
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
async function who(
  settings: Settings,
  credential: GitHubCredential,
  signal: AbortSignal,
): Promise<string> {
  try {
    return await userOf(settings, credential, signal);
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    return `${credential.user ?? "unknown"} (GitHub: ${err.message})`;
  }
}

/**
 * Runs `copilot status`: prints the report on stdout and resolves with 0, or
 * throws the {@linkcode CopilotError} that says why Copilot does not work.
 */
export async function status(settings: Settings, signal: AbortSignal): Promise<number> {
  const auth = await authStatus(settings, signal);
  if (!auth) {
    throw new CopilotError("not logged in; run `copilot login`", { exitCode: ExitCode.Auth });
  }
  const { credential, session, failure } = auth;
  const lines = [
    `User:    ${await who(settings, credential, signal)}`,
    `Host:    ${credential.host}`,
    `Source:  ${auth.source}`,
    `Client:  ${describeIdentity(resolveIdentity(settings.identity))}`,
    `Copilot: ${session ? describeSession(session, Date.now()) : "no access"}`,
  ];
  console.log(lines.join("\n"));
  if (failure) throw failure;
  return ExitCode.Ok;
}
