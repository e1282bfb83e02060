/**
 * This tool's own GitHub login: `auth.json` in the config dir, 0600.
 *
 * @module
 */

import { CopilotError, ExitCode } from "../base/errors.ts";
import { join } from "../base/paths.ts";
import {
  denoFs,
  type FileSystem,
  readPrivateText,
  removeFile,
  tightenFile,
  writePrivateFile,
} from "./secure_file.ts";

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

/** The error for an `auth.json` that holds no usable login. */
function unusable(path: string, why: string): CopilotError {
  return new CopilotError(
    `${path} ${why}; run \`copilot login\` again (or \`copilot logout\` to remove it)`,
    { exitCode: ExitCode.Auth },
  );
}

/**
 * Reads the stored login; `undefined` when there is none. A file that is
 * there but unusable (not JSON, no token, a directory, unreadable) is a
 * {@linkcode CopilotError} naming it; one others may read is made 0600.
 */
export async function readLogin(
  dir: string,
  fs: FileSystem = denoFs,
): Promise<StoredLogin | undefined> {
  const path = loginPath(dir);
  const text = await readPrivateText(path, fs).catch((err: CopilotError) => {
    throw new CopilotError(err.message, { exitCode: ExitCode.Auth, cause: err.cause });
  });
  if (text === undefined) return undefined;
  let data: Partial<StoredLogin> | null;
  try {
    data = JSON.parse(text);
  } catch {
    throw unusable(path, text.trim() === "" ? "is empty" : "is not valid JSON");
  }
  if (typeof data?.token !== "string" || data.token === "") {
    throw unusable(path, "holds no GitHub token");
  }
  if (data.host !== undefined && typeof data.host !== "string") {
    throw unusable(path, "holds a host that is not a string");
  }
  await tightenFile(path, fs);
  return { ...data, token: data.token, host: data.host || "github.com" };
}

/** Stores `login` privately and atomically. */
export async function writeLogin(login: StoredLogin, dir: string): Promise<void> {
  await writePrivateFile(loginPath(dir), JSON.stringify(login, null, 2) + "\n");
}

/** Deletes the stored login (and any temp files of it); true when there was one. */
export function deleteLogin(dir: string): Promise<boolean> {
  return removeFile(loginPath(dir));
}
