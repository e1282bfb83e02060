/**
 * `copilot logout`: deletes this tool's stored GitHub token and its cached
 * session token. Never touches copilot.vim / copilot.lua files.
 *
 * @module
 */

import { logout as removeLogin } from "../auth/mod.ts";
import { ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Runs `copilot logout`; exit 0 even when there was nothing to remove. */
export async function logout(settings: Settings): Promise<number> {
  const { loginPath, hadLogin, hadSession, remaining } = await removeLogin(settings);
  if (hadLogin) {
    say(`Logged out: removed the GitHub token (${loginPath})`);
    if (hadSession) say("Removed the cached session token");
  } else {
    say(`Not logged in: no stored GitHub token (${loginPath})`);
    if (hadSession) say("Removed a cached session token");
  }
  // What copilot would still use: say so, since logout leaves it alone.
  if (remaining) {
    say(
      remaining.kind === "env"
        ? "Note: COPILOT_GITHUB_TOKEN is still set and is used while it is"
        : `Note: copilot still uses the login in ${remaining.source}; logout leaves it alone`,
    );
  }
  return ExitCode.Ok;
}
