/**
 * The programs this tool runs, by absolute path.
 *
 * @module
 */

/**
 * Programs this tool may run, by absolute path: deno.json's `"run"` permission
 * lists exactly these (a bare name missing from PATH makes Deno print a line
 * on every start, which would land in vim's buffer).
 */
export const RUN_PATHS = {
  /** POSIX shell: starts `xdg-open` / `open` found on PATH, and writes to `/dev/tty`. */
  sh: "/bin/sh",
  /** Windows: opens a URL with the default browser. */
  rundll32: "C:/Windows/System32/rundll32.exe",
  /** Windows: writes to the console (`CON`). */
  cmd: "C:/Windows/System32/cmd.exe",
} as const;
