/**
 * Which GitHub repository a file belongs to, read from `.git/config` up the
 * directory tree (no `git` binary: the tool may only run `/bin/sh`). Used for
 * content exclusion (docs/copilot-protocol.md §2.5).
 *
 * @module
 */

import { dirname, isAbsolute, join } from "../base/paths.ts";

/** A git working tree and its remotes. */
export interface GitRepo {
  /** The working tree's root directory. */
  root: string;
  /** Remote URLs as written in `.git/config`, in order. */
  remotes: string[];
}

/** A remote on a GitHub host. */
export interface GitHubRemote {
  /** Host, e.g. `github.com`. */
  host: string;
  /** `owner/repo`. */
  nwo: string;
  /** `https://host/owner/repo`, the form sent to Copilot. */
  url: string;
}

/** The `url` of every `[remote "..."]` section of a git config, in order. */
export function remoteUrls(config: string): string[] {
  const urls: string[] = [];
  let inRemote = false;
  for (const raw of config.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inRemote = /^\[remote\s+"[^"]*"\s*\]$/.test(line);
      continue;
    }
    const match = /^url\s*=\s*(.*)$/.exec(line);
    if (inRemote && match) urls.push(match[1]!.replace(/^"(.*)"$/, "$1").trim());
  }
  return urls;
}

/**
 * Reads a remote URL in any of git's forms (`https://`, `ssh://`,
 * `git@host:owner/repo.git`); undefined for local paths and other shapes.
 *
 * @example
 * ```ts
 * import { parseRemote } from "./git_remote.ts";
 * console.assert(parseRemote("git@github.com:octo/repo.git")?.url === "https://github.com/octo/repo");
 * ```
 */
export function parseRemote(remote: string): GitHubRemote | undefined {
  let host: string;
  let path: string;
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.+)$/.exec(remote);
  if (/^[a-z+]+:\/\//i.test(remote)) {
    let url: URL;
    try {
      url = new URL(remote);
    } catch {
      return undefined;
    }
    if (url.protocol === "file:") return undefined;
    host = url.hostname;
    path = url.pathname;
  } else if (scp) {
    host = scp[1]!;
    path = scp[2]!;
  } else {
    return undefined;
  }
  const parts = path.replace(/^\/+|\/+$/g, "").replace(/\.git$/, "").split("/");
  if (parts.length !== 2 || parts.some((p) => p === "")) return undefined;
  const nwo = parts.join("/");
  host = host.toLowerCase();
  return { host, nwo, url: `https://${host}/${nwo}` };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/** The config file of the repository whose `.git` entry is at `dotGit`. */
async function configOf(dotGit: string, info: Deno.FileInfo): Promise<string | undefined> {
  if (info.isDirectory) return await readText(join(dotGit, "config"));
  // A worktree or submodule: `.git` is a file saying `gitdir: PATH`.
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(await readText(dotGit) ?? "")?.[1];
  if (!pointer) return undefined;
  const gitDir = isAbsolute(pointer) ? pointer : join(dirname(dotGit), pointer);
  const common = (await readText(join(gitDir, "commondir")))?.trim();
  const configDir = common ? (isAbsolute(common) ? common : join(gitDir, common)) : gitDir;
  return await readText(join(configDir, "config"));
}

/** The git working tree holding `file` (a path, absolute or relative to `cwd`), if any. */
export async function findGitRepo(file: string, cwd = Deno.cwd()): Promise<GitRepo | undefined> {
  let dir = dirname(isAbsolute(file) ? file : join(cwd, file));
  try {
    dir = await Deno.realPath(dir);
  } catch {
    // A directory that does not exist has no repository to find.
  }
  for (;;) {
    const dotGit = join(dir, ".git");
    const info = await Deno.stat(dotGit).catch(() => undefined);
    if (info) {
      const config = await configOf(dotGit, info);
      return { root: dir, remotes: config ? remoteUrls(config) : [] };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
