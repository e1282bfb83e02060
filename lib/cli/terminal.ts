/**
 * Writes a line on the user's terminal itself, never on stdout or stderr
 * (vim and Neovim read both into the buffer under `:r !cmd` and filters).
 * Deno grants `/dev/tty` and `CON` only with all permissions, so a shell
 * child writes it (`/bin/sh`, or `cmd.exe` on Windows).
 *
 * @module
 */

import { RUN_PATHS } from "./programs.ts";

/**
 * The POSIX script: `$1` is the line. With a controlling terminal it clears the
 * row it draws on and writes there. Neovim starts commands in a session of
 * their own (no `/dev/tty`), so it finds the terminal of the nearest ancestor
 * (Neovim itself, via `/proc`) and draws the line above the last row a few
 * times in the background, after Neovim has redrawn ("shell returned 1",
 * "Press ENTER").
 */
const SCRIPT = `
msg=$1
if { printf '\\r%s\\033[K\\n' "$msg" >/dev/tty; } 2>/dev/null; then exit 0; fi
p=$PPID t=
while [ "\${p:-1}" -gt 1 ]; do
  t=$(readlink "/proc/$p/fd/2" 2>/dev/null)
  case $t in /dev/pts/*|/dev/tty*) break ;; esac
  t= p=$(sed 's/.*) [A-Za-z] \\([0-9]*\\).*/\\1/' "/proc/$p/stat" 2>/dev/null)
done
[ -n "$t" ] || exit 0
(for d in 0.1 0.3 0.8 1.5; do
  sleep $d
  printf '\\0337\\033[999;1H\\033[1A\\r\\033[2K%s\\0338' "$msg" >"$t"
done) </dev/null >/dev/null 2>&1 &
`;

/** Writes `line` on the user's terminal (see the module doc); silent when there is none. */
export async function tellTerminal(line: string): Promise<void> {
  const [command, args] = Deno.build.os === "windows"
    ? [RUN_PATHS.cmd, ["/d", "/c", `echo ${line.replace(/[\^&|<>()%]/g, "^$&")}>CON`]]
    : [RUN_PATHS.sh, ["-c", SCRIPT, "sh", line]];
  try {
    await new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null" })
      .output();
  } catch {
    // No terminal: nothing to tell.
  }
}
