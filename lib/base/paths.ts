/**
 * The few path operations this tool needs (join, dirname, basename,
 * isAbsolute), for POSIX and Windows.
 *
 * Why not `@std/path`: every run of `copilot complete` loads these modules,
 * and importing `@std/path/join` through the `npm:deno-std` mapping was
 * measured to add about 38 ms to start-up here (`node:path` about 22 ms),
 * against an empty script's 57 ms. The directories handled are the config
 * dirs and file names, so a small, tested subset is enough.
 *
 * @module
 */

/** Path operations of one OS family. */
export interface PathOps {
  /** The separator written by {@linkcode PathOps.join}. */
  sep: string;
  /** Joins segments with the separator, without doubling one already there. */
  join(...parts: string[]): string;
  /** The directory part of `path` (the root stays the root; a bare name gives "."). */
  dirname(path: string): string;
  /** The last segment of `path`. */
  basename(path: string): string;
  /** True when `path` does not depend on the working directory. */
  isAbsolute(path: string): boolean;
}

/**
 * The path operations for Windows (`\`, also accepting `/`) or POSIX (`/`).
 *
 * @example
 * ```ts
 * import { pathOps } from "./paths.ts";
 * console.assert(pathOps(true).join("C:\\Users", "me") === "C:\\Users\\me");
 * console.assert(pathOps(false).dirname("/etc/hosts") === "/etc");
 * ```
 */
export function pathOps(windows: boolean): PathOps {
  const sep = windows ? "\\" : "/";
  const isSep = windows ? (c: string) => c === "\\" || c === "/" : (c: string) => c === "/";
  const lastSep = (path: string) => {
    for (let i = path.length - 1; i >= 0; i--) if (isSep(path[i]!)) return i;
    return -1;
  };
  /** Length of the root prefix: `/`, `C:\`, `C:` or `\`. */
  const rootLength = (path: string) => {
    if (windows && /^[a-zA-Z]:/.test(path)) return isSep(path[2] ?? "") ? 3 : 2;
    return path !== "" && isSep(path[0]!) ? 1 : 0;
  };
  return {
    sep,
    join(...parts) {
      let joined = "";
      for (const part of parts) {
        if (part === "") continue;
        joined = joined === "" || isSep(joined.at(-1)!) ? joined + part : joined + sep + part;
      }
      return joined || ".";
    },
    dirname(path) {
      const root = rootLength(path);
      let end = path.length;
      while (end > root && isSep(path[end - 1]!)) end--; // trailing separators
      const cut = lastSep(path.slice(0, end));
      if (cut < root) return root > 0 ? path.slice(0, root) : ".";
      let stop = cut;
      while (stop > root && isSep(path[stop - 1]!)) stop--;
      return path.slice(0, Math.max(stop, root)) || path.slice(0, root);
    },
    basename(path) {
      let end = path.length;
      while (end > 0 && isSep(path[end - 1]!)) end--;
      const name = path.slice(lastSep(path.slice(0, end)) + 1, end);
      return windows && /^[a-zA-Z]:$/.test(name) ? "" : name;
    },
    isAbsolute(path) {
      return windows ? /^([a-zA-Z]:)?[\\/]/.test(path) : path.startsWith("/");
    },
  };
}

const native = pathOps(Deno.build.os === "windows");

/** Path separator of this OS. */
export const SEP: string = native.sep;
/** {@linkcode PathOps.join} for this OS. */
export const join: PathOps["join"] = native.join;
/** {@linkcode PathOps.dirname} for this OS. */
export const dirname: PathOps["dirname"] = native.dirname;
/** {@linkcode PathOps.basename} for this OS. */
export const basename: PathOps["basename"] = native.basename;
/** {@linkcode PathOps.isAbsolute} for this OS. */
export const isAbsolute: PathOps["isAbsolute"] = native.isAbsolute;
