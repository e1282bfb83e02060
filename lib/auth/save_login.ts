/**
 * Storing a new login: `auth.json` (0600) written, and the session token
 * cached from the previous login dropped with it.
 *
 * @module
 */

import { requireConfigDir, type Settings } from "../base/settings.ts";
import { loginPath, type StoredLogin, writeLogin } from "./login_store.ts";
import { Session } from "./session.ts";

/**
 * Stores `login` (auth.json, 0600) and drops the session cached from the
 * previous login; resolves with the file's path.
 */
export async function saveLogin(settings: Settings, login: StoredLogin): Promise<string> {
  const dir = requireConfigDir(settings);
  await writeLogin(login, dir);
  await new Session({ settings }).clear();
  return loginPath(dir);
}
