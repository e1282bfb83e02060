/**
 * This tool's own GitHub login: `auth.json` in the config dir, 0600.
 *
 * @module
 */

import { join } from "../base/paths.ts";
import { readJsonFile, removeFile, writePrivateFile } from "./secure_file.ts";

/** A stored GitHub login. */
export interface StoredLogin {
  /** The GitHub App user token (`ghu_...`). */
  token: string;
  /** The GitHub host it belongs to (`github.com` or an Enterprise host). */
  host: string;
  /** The GitHub login name, when known. */
  user?: string;
  /** A refresh token, when GitHub issued an expiring token. */
  refresh_token?: string;
  /** When the token expires (epoch seconds), when GitHub said so. */
  expires_at?: number;
}

/** Path of the own login file. */
export function loginPath(dir: string): string {
  return join(dir, "auth.json");
}

/** Reads the stored login; `undefined` when there is none or it is unusable. */
export async function readLogin(dir: string): Promise<StoredLogin | undefined> {
  const data = await readJsonFile(loginPath(dir)).catch(() => undefined) as
    | Partial<StoredLogin>
    | undefined;
  if (typeof data?.token !== "string" || data.token === "") return undefined;
  return { ...data, token: data.token, host: data.host ?? "github.com" };
}

/** Stores `login` privately and atomically. */
export async function writeLogin(login: StoredLogin, dir: string): Promise<void> {
  await writePrivateFile(loginPath(dir), JSON.stringify(login, null, 2) + "\n");
}

/** Deletes the stored login; true when there was one. */
export function deleteLogin(dir: string): Promise<boolean> {
  return removeFile(loginPath(dir));
}
