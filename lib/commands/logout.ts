/**
 * `copilot logout`: deletes this tool's stored GitHub token and its cached
 * session token. Never touches copilot.vim / copilot.lua files.
 *
 * @module
 */

import { findCredentials } from "../auth/credentials.ts";
import { ExitCode } from "../base/errors.ts";
import { removeFile } from "../auth/secure_file.ts";
import { Session } from "../auth/session.ts";
import { deleteLogin, loginPath } from "../auth/login_store.ts";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Runs `copilot logout`; exit 0 even when there was nothing to remove. */
export async function logout(): Promise<number> {
  const path = loginPath();
  const hadLogin = await deleteLogin();
  const hadSession = await removeFile(new Session().cachePath);
  if (hadLogin) {
    say(`Logged out: removed the GitHub token (${path})`);
    if (hadSession) say("Removed the cached session token");
  } else {
    say(`Not logged in: no stored GitHub token (${path})`);
    if (hadSession) say("Removed a cached session token");
  }
  // What copilot would still use: say so, since logout leaves it alone.
  const [remaining] = await findCredentials().catch(() => []);
  if (remaining) {
    say(
      remaining.source.startsWith("environment")
        ? "Note: COPILOT_GITHUB_TOKEN is still set and is used while it is"
        : `Note: copilot still uses the login in ${remaining.source}; logout leaves it alone`,
    );
  }
  return ExitCode.Ok;
}
