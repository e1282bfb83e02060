/**
 * Reads, never writes, the GitHub login of copilot.vim / copilot.lua: the
 * language server's `auth.db` (SQLite), then `apps.json`, then `hosts.json`.
 *
 * @module
 */

import { join } from "../base/paths.ts";
import { CLIENT_ID } from "./app.ts";
import type { GitHubCredential } from "./credential.ts";
import { readJsonFile } from "./secure_file.ts";

const GITHUB_TOKEN = /^(ghu_|gho_|github_pat_)[A-Za-z0-9_]+$/;

interface OAuthRow {
  user_login: string | null;
  token_schema_version: number | null;
  token_ciphertext: Uint8Array | string | null;
}

/** Version-0 rows of `auth.db` for `host`, newest use first. */
async function fromAuthDb(dir: string, host: string): Promise<GitHubCredential[]> {
  const path = join(dir, "auth.db");
  try {
    await Deno.stat(path);
  } catch {
    return [];
  }
  const { DatabaseSync } = await import("node:sqlite");
  let db;
  try {
    db = new DatabaseSync(path, { readOnly: true });
  } catch {
    return [];
  }
  try {
    const rows = db.prepare(
      `SELECT user_login, token_schema_version, token_ciphertext FROM oauth_tokens
       WHERE auth_authority = ? ORDER BY last_used_at DESC`,
    ).all(host) as unknown as OAuthRow[];
    return rows.flatMap((row) => {
      if (row.token_schema_version !== 0 || row.token_ciphertext === null) return [];
      const token = typeof row.token_ciphertext === "string"
        ? row.token_ciphertext
        : new TextDecoder().decode(row.token_ciphertext);
      if (!GITHUB_TOKEN.test(token.trim())) return [];
      return [{
        token: token.trim(),
        kind: "plugin" as const,
        source: `copilot.vim (${path})`,
        host,
        ...(row.user_login ? { user: row.user_login } : {}),
      }];
    });
  } catch {
    return [];
  } finally {
    db.close();
  }
}

interface JsonLogin {
  user?: string;
  oauth_token?: string;
}

/** Logins in `apps.json` (keys `HOST:CLIENT_ID`) or `hosts.json` (keys `HOST`). */
async function fromJson(
  dir: string,
  file: "apps.json" | "hosts.json",
  host: string,
): Promise<GitHubCredential[]> {
  const path = join(dir, file);
  const data = await readJsonFile(path).catch(() => undefined) as
    | Record<string, JsonLogin>
    | undefined;
  if (!data || typeof data !== "object") return [];
  const key = file === "apps.json" ? `${host}:${CLIENT_ID}` : host;
  const entry = data[key];
  const token = entry?.oauth_token;
  if (typeof token !== "string" || token === "") return [];
  return [{
    token,
    kind: "plugin",
    source: `copilot.vim (${path})`,
    host,
    ...(typeof entry?.user === "string" ? { user: entry.user } : {}),
  }];
}

/** The files of copilot.vim / copilot.lua's store in `dir`, in the order they are read. */
export function pluginStoreFiles(dir: string): string[] {
  return ["auth.db", "apps.json", "hosts.json"].map((file) => join(dir, file));
}

/**
 * Every copilot.vim / copilot.lua login for `host`, in the order the protocol
 * reference gives: `auth.db`, `apps.json`, `hosts.json`. Duplicates removed.
 */
export async function readPluginLogins(
  host: string,
  dir: string,
): Promise<GitHubCredential[]> {
  const found = [
    ...await fromAuthDb(dir, host),
    ...await fromJson(dir, "apps.json", host),
    ...await fromJson(dir, "hosts.json", host),
  ];
  return found.filter((cred, i) => found.findIndex((c) => c.token === cred.token) === i);
}
