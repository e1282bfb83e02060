/**
 * Private files: a directory only the user can enter (0700) and files only
 * the user can read (0600), written atomically (temp file + rename) so a crash
 * never leaves a half-written or world-readable file. Windows has no POSIX
 * modes; there the user's profile directory already keeps them private.
 *
 * Every failure is one {@linkcode CopilotError} naming the file and what to
 * do ("cannot read …/auth.json: it is a directory; remove it"), never a raw
 * OS error. The file operations are injectable ({@linkcode FileSystem}), so
 * states a test cannot make for real (a chmod refused to root) are tested.
 *
 * @module
 */

import { CopilotError } from "../base/errors.ts";
import { basename, dirname, join } from "../base/paths.ts";

const POSIX = Deno.build.os !== "windows";

/** A temp file older than this was left by a process that died (a write takes milliseconds). */
export const STALE_TEMP_MS = 60_000;

/** The file operations used here; default Deno's. */
export interface FileSystem {
  /** `Deno.mkdir`. */
  mkdir(path: string, options: Deno.MkdirOptions): Promise<void>;
  /** `Deno.chmod`. */
  chmod(path: string, mode: number): Promise<void>;
  /** `Deno.open`. */
  open(path: string, options: Deno.OpenOptions): Promise<Deno.FsFile>;
  /** `Deno.rename`. */
  rename(from: string, to: string): Promise<void>;
  /** `Deno.remove`. */
  remove(path: string): Promise<void>;
  /** `Deno.readTextFile`. */
  readTextFile(path: string): Promise<string>;
  /** `Deno.lstat`. */
  lstat(path: string): Promise<Deno.FileInfo>;
  /** `Deno.readDir`. */
  readDir(path: string): AsyncIterable<Deno.DirEntry>;
}

/** Deno's file operations. */
export const denoFs: FileSystem = {
  mkdir: (path, options) => Deno.mkdir(path, options),
  chmod: (path, mode) => Deno.chmod(path, mode),
  open: (path, options) => Deno.open(path, options),
  rename: (from, to) => Deno.rename(from, to),
  remove: (path) => Deno.remove(path),
  readTextFile: (path) => Deno.readTextFile(path),
  lstat: (path) => Deno.lstat(path),
  readDir: (path) => Deno.readDir(path),
};

/** What a user can do about `err`, in a few words. */
function reason(err: unknown): { why: string; fix: string } {
  if (err instanceof Deno.errors.IsADirectory) {
    return { why: "it is a directory", fix: "remove it and try again" };
  }
  if (err instanceof Deno.errors.PermissionDenied) {
    return { why: "permission denied", fix: "check its owner and permissions" };
  }
  if (err instanceof Deno.errors.NotADirectory) {
    return { why: "a parent is not a directory", fix: "check the path" };
  }
  if (err instanceof Deno.errors.AlreadyExists) {
    return { why: "it exists and is not a directory", fix: "remove it and try again" };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    why: message.replace(/\s*\(os error \d+\).*$/s, "") || "unknown error",
    fix: "check it",
  };
}

/**
 * The one-line error for failing to `action` `path` with `err` (passed
 * through when already a {@linkcode CopilotError}).
 */
export function fileError(action: string, path: string, err: unknown): CopilotError {
  if (err instanceof CopilotError) return err;
  const { why, fix } = reason(err);
  return new CopilotError(`cannot ${action} ${path}: ${why}; ${fix}`, { cause: err });
}

/**
 * Creates `dir` (and parents) and makes it 0700. A chmod the system refuses
 * (a directory owned by someone else) is let be: the files in it are 0600.
 */
export async function ensurePrivateDir(dir: string, fs: FileSystem = denoFs): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw fileError("create", dir, err);
  }
  if (POSIX) await fs.chmod(dir, 0o700).catch(() => {});
}

/** Temp files of `path` (`NAME.xxxxxxxx.tmp`); only those older than `olderThanMs` when given. */
async function tempFiles(path: string, fs: FileSystem, olderThanMs?: number): Promise<string[]> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const found: string[] = [];
  try {
    for await (const entry of fs.readDir(dir)) {
      const rest = entry.name.slice(prefix.length);
      if (!entry.name.startsWith(prefix) || !/^[0-9a-f]{8}\.tmp$/.test(rest)) continue;
      const temp = join(dir, entry.name);
      if (olderThanMs !== undefined) {
        const info = await fs.lstat(temp).catch(() => undefined);
        const age = Date.now() - (info?.mtime?.getTime() ?? Date.now());
        if (!info?.isFile || age < olderThanMs) continue;
      }
      found.push(temp);
    }
  } catch {
    // No directory, no temp files.
  }
  return found;
}

/**
 * Removes the temp files a killed writer of `path` left behind (all of them,
 * or those older than `olderThanMs`); resolves with how many went.
 */
export async function removeTempFiles(
  path: string,
  olderThanMs?: number,
  fs: FileSystem = denoFs,
): Promise<number> {
  let removed = 0;
  for (const temp of await tempFiles(path, fs, olderThanMs)) {
    if (await fs.remove(temp).then(() => true, () => false)) removed++;
  }
  return removed;
}

/**
 * Writes `data` to `path` with mode 0600, atomically: a temp file in the same
 * directory, flushed, then renamed over the target. Temp files a killed
 * writer left behind are removed first.
 *
 * @example
 * ```ts ignore
 * import { writePrivateFile } from "./secure_file.ts";
 * await writePrivateFile("/home/me/.config/copilot/token.json", "{}");
 * ```
 */
export async function writePrivateFile(
  path: string,
  data: string,
  fs: FileSystem = denoFs,
): Promise<void> {
  await ensurePrivateDir(dirname(path), fs);
  await removeTempFiles(path, STALE_TEMP_MS, fs);
  const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    {
      using file = await fs.open(temp, { write: true, createNew: true, mode: 0o600 });
      // The mode given to open is cut by the umask only, never widened: this is belt and braces.
      if (POSIX) await fs.chmod(temp, 0o600).catch(() => {});
      const bytes = new TextEncoder().encode(data);
      for (let written = 0; written < bytes.length;) {
        written += await file.write(bytes.subarray(written));
      }
      await file.syncData();
    }
    await fs.rename(temp, path);
  } catch (err) {
    await fs.remove(temp).catch(() => {});
    throw fileError("write", path, err);
  }
}

/** The text of the file at `path`; `undefined` when it does not exist. */
export async function readPrivateText(
  path: string,
  fs: FileSystem = denoFs,
): Promise<string | undefined> {
  try {
    return await fs.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw fileError("read", path, err);
  }
}

/** Parses the JSON file at `path`; `undefined` when it does not exist. */
export async function readJsonFile(path: string, fs: FileSystem = denoFs): Promise<unknown> {
  const text = await readPrivateText(path, fs);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CopilotError(`${path} is not valid JSON; remove it and try again`, { cause: err });
  }
}

/**
 * Makes an existing file 0600 when others may read it (a file copied in by
 * hand); resolves with true when it was tightened. A chmod the system
 * refuses leaves it as it is.
 */
export async function tightenFile(path: string, fs: FileSystem = denoFs): Promise<boolean> {
  if (!POSIX) return false;
  const info = await fs.lstat(path).catch(() => undefined);
  if (!info?.isFile || info.mode === null || (info.mode & 0o077) === 0) return false;
  return await fs.chmod(path, 0o600).then(() => true, () => false);
}

/** Removes the file `path` (and any temp files it left); true when it existed. */
export async function removeFile(path: string, fs: FileSystem = denoFs): Promise<boolean> {
  await removeTempFiles(path, undefined, fs);
  let info: Deno.FileInfo;
  try {
    info = await fs.lstat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw fileError("remove", path, err);
  }
  if (info.isDirectory) {
    throw fileError("remove", path, new Deno.errors.IsADirectory("Is a directory"));
  }
  try {
    await fs.remove(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw fileError("remove", path, err);
  }
}
