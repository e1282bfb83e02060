/**
 * Content exclusion (docs/copilot-protocol.md §2.5): an organisation can keep
 * paths of its repositories out of Copilot. For a file in a git working tree
 * with remotes on the login's GitHub host, the rules come from
 * `GET {api}/copilot_internal/content_exclusion?repos=URL,...&scope=repo`
 * (GitHub token), cached beside the session (`content_exclusion.json`, per
 * session token and repository), and an excluded file is refused before
 * anything of it is sent.
 *
 * Matching follows VS Code's `RemoteContentExclusion`: minimatch-style globs,
 * case-insensitive, dot files included, a pattern without `/` matched against
 * the base name, tried on the path from the repository root (`/src/a.ts`)
 * and on the absolute path; `ifAnyMatch` / `ifNoneMatch` regular expressions
 * tried on the first 1024 characters.
 *
 * @module
 */

import { join } from "../base/paths.ts";
import { cacheKey } from "../base/cache_key.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";
import type { Settings } from "../base/settings.ts";
import { errorMessage } from "../net/http.ts";
import { getCopilotInternal, sessionCredential } from "../auth/copilot_internal.ts";
import { readJsonFile, writePrivateFile } from "../auth/secure_file.ts";
import type { Session } from "../auth/session.ts";
import { findGitRepo, type GitHubRemote, parseRemote } from "./git_remote.ts";

/** The rules of one repository, merged. */
export interface ExclusionRules {
  /** Glob patterns. */
  paths: string[];
  /** Regular expressions (`/body/flags` or a bare body). */
  ifAnyMatch: string[];
  /** Regular expressions. */
  ifNoneMatch: string[];
  /** Who set them (`source.name` of each rule). */
  sources: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** One answer entry (`{rules: [{paths, ifAnyMatch?, ifNoneMatch?, source}]}`) merged. */
export function rulesOf(entry: unknown): ExclusionRules {
  const rules: ExclusionRules = { paths: [], ifAnyMatch: [], ifNoneMatch: [], sources: [] };
  for (const rule of isRecord(entry) && Array.isArray(entry.rules) ? entry.rules : []) {
    if (!isRecord(rule)) continue;
    rules.paths.push(...strings(rule.paths));
    rules.ifAnyMatch.push(...strings(rule.ifAnyMatch));
    rules.ifNoneMatch.push(...strings(rule.ifNoneMatch));
    const name = isRecord(rule.source) ? rule.source.name : undefined;
    if (typeof name === "string" && !rules.sources.includes(name)) rules.sources.push(name);
  }
  return rules;
}

/**
 * A minimatch-style glob as a case-insensitive regular expression: `**`
 * spans directories, `*` and `?` stay within one, `{a,b}` and `[...]` work.
 *
 * @example
 * ```ts
 * import { globToRegExp } from "./exclusion.ts";
 * console.assert(globToRegExp("/secrets/**").test("/Secrets/a/b.txt"));
 * console.assert(!globToRegExp("*.cfg").test("/a/b.cfg"));
 * ```
 */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      const slash = pattern[i + 2] === "/";
      re += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "{" && pattern.indexOf("}", i) > i) {
      const end = pattern.indexOf("}", i);
      const alternatives = pattern.slice(i + 1, end).split(",").map(escape);
      re += `(?:${alternatives.join("|")})`;
      i = end;
    } else if (c === "[" && pattern.indexOf("]", i + 1) > i) {
      const end = pattern.indexOf("]", i + 1);
      const body = pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
      re += `[${body}]`;
      i = end;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, "i");
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function toRegExp(text: string): RegExp | undefined {
  const literal = /^\/(.*)\/([a-z]*)$/s.exec(text);
  try {
    return literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether `rules` exclude the file at `relative` (from the repository root,
 * with a leading `/`) or `absolute`, whose text starts with `head`.
 */
export function isExcluded(
  rules: ExclusionRules,
  relative: string,
  absolute: string,
  head: string,
): boolean {
  const base = relative.slice(relative.lastIndexOf("/") + 1);
  for (const pattern of rules.paths) {
    const re = globToRegExp(pattern);
    if (!pattern.includes("/") ? re.test(base) : re.test(relative) || re.test(absolute)) {
      return true;
    }
  }
  const start = head.slice(0, 1024);
  const any = rules.ifAnyMatch.map(toRegExp).filter((r) => r !== undefined);
  if (any.some((r) => r.test(start))) return true;
  const none = rules.ifNoneMatch.map(toRegExp).filter((r) => r !== undefined);
  return none.length > 0 && !none.some((r) => r.test(start));
}

/** The cache file in the session's cache dir (none without one). */
function cachePath(session: Session): string | undefined {
  const dir = session.cacheDir;
  return dir === undefined ? undefined : join(dir, "content_exclusion.json");
}

/** Asks GitHub for the rules of `remotes` with the GitHub token of the session. */
async function fetchRules(
  settings: Settings,
  session: Session,
  remotes: GitHubRemote[],
  signal?: AbortSignal,
): Promise<ExclusionRules[]> {
  const current = await session.get(signal);
  const credential = await sessionCredential(settings, current.fingerprint);
  if (!credential) return remotes.map(() => rulesOf(undefined));
  const repos = remotes.map((r) => encodeURIComponent(r.url)).join(",");
  const path = `content_exclusion?repos=${repos}&scope=repo`;
  const { res, host } = await getCopilotInternal(credential, path, settings, signal);
  if (!res.ok) {
    throw new CopilotError(
      `${host} answered ${res.status} to content_exclusion: ${await errorMessage(
        res,
      )}`,
      { status: res.status },
    );
  }
  const body = await res.json().catch(() => undefined);
  return remotes.map((_, i) => rulesOf(Array.isArray(body) ? body[i] : undefined));
}

/** The rules for `remotes`: cached per session token and repository, else fetched. */
async function rulesFor(
  settings: Settings,
  session: Session,
  remotes: GitHubRemote[],
  signal?: AbortSignal,
): Promise<ExclusionRules[]> {
  const key = cacheKey((await session.get(signal)).token);
  const path = cachePath(session);
  const cache = path === undefined ? undefined : await readJsonFile(path).catch(() => undefined);
  const repos: Record<string, ExclusionRules> =
    isRecord(cache) && cache.session === key && isRecord(cache.repos)
      ? cache.repos as Record<string, ExclusionRules>
      : {};
  if (remotes.every((r) => r.url in repos)) return remotes.map((r) => repos[r.url]!);
  const fetched = await fetchRules(settings, session, remotes, signal);
  remotes.forEach((r, i) => repos[r.url] = fetched[i]!);
  if (path !== undefined) {
    await writePrivateFile(path, JSON.stringify({ session: key, repos }) + "\n").catch(() => {});
  }
  return fetched;
}

/**
 * Refuses `file` (exit 6) when its repository's content exclusion rules
 * exclude it; `text` is what would be sent. Files outside a git working tree
 * or without a remote on the login's host pass. When the rules cannot be
 * fetched the file passes (said on stderr only with `COPILOT_DEBUG`).
 */
export async function checkExclusion(
  file: string,
  text: string,
  settings: Settings,
  session: Session,
  signal?: AbortSignal,
): Promise<void> {
  const repo = await findGitRepo(file);
  if (!repo) return;
  const host = (await session.get(signal)).host.toLowerCase();
  const remotes = repo.remotes.map(parseRemote).filter((r): r is GitHubRemote =>
    r !== undefined && r.host === host
  );
  if (remotes.length === 0) return;
  let rules: ExclusionRules[];
  try {
    rules = await rulesFor(settings, session, remotes, signal);
  } catch (err) {
    if (!(err instanceof CopilotError)) throw err;
    if (settings.net.debug) console.error(`copilot: content exclusion unknown: ${err.message}`);
    return;
  }
  const absolute = await Deno.realPath(file).catch(() => file);
  const relative = absolute.slice(repo.root.length).replaceAll("\\", "/");
  for (const [i, repoRules] of rules.entries()) {
    if (!isExcluded(repoRules, relative, absolute.replaceAll("\\", "/"), text)) continue;
    const by = repoRules.sources.length ? ` by ${repoRules.sources.join(", ")}` : "";
    throw new CopilotError(
      `${file} is excluded from Copilot${by} (content exclusion of ${
        remotes[i]!.nwo
      }); nothing was sent`,
      { exitCode: ExitCode.Excluded },
    );
  }
}
