/**
 * Private files: a directory only the user can enter (0700) and files only
 * the user can read (0600), written atomically (temp file + rename) so a crash
 * never leaves a half-written or world-readable file. Windows has no POSIX
 * modes; there the user's profile directory already keeps them private.
 *
 * @module
 */

import { dirname } from "../base/paths.ts";

const POSIX = Deno.build.os !== "windows";

/** Creates `dir` (and parents) and makes it 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (POSIX) await Deno.chmod(dir, 0o700);
}

/**
 * Writes `data` to `path` with mode 0600, atomically: a temp file in the same
 * directory, flushed, then renamed over the target.
 *
 * @example
 * ```ts ignore
 * import { writePrivateFile } from "./secure_file.ts";
 * await writePrivateFile("/home/me/.config/copilot/token.json", "{}");
 * ```
 */
export async function writePrivateFile(path: string, data: string): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    using file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    if (POSIX) await Deno.chmod(temp, 0o600);
    const bytes = new TextEncoder().encode(data);
    for (let written = 0; written < bytes.length;) {
      written += await file.write(bytes.subarray(written));
    }
    await file.syncData();
  } catch (err) {
    await Deno.remove(temp).catch(() => {});
    throw err;
  }
  await Deno.rename(temp, path);
}

/** Parses the JSON file at `path`; `undefined` when it does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
  return JSON.parse(text);
}

/** Removes `path`; true when it existed. */
export async function removeFile(path: string): Promise<boolean> {
  try {
    await Deno.remove(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
