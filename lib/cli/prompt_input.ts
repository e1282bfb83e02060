/**
 * Reads what `complete` completes: the prompt (stdin or `--file`) and the
 * suffix, as UTF-8 that never fails (a BOM is dropped, invalid bytes become
 * U+FFFD). When stdin is a terminal, says how to end the input on the
 * terminal itself, never on stderr (vim reads stderr into the buffer).
 *
 * @module
 */

import { RUN_PATHS } from "./programs.ts";
import { CopilotError, ExitCode } from "../base/errors.ts";

/** Decodes bytes as UTF-8 without ever throwing. */
function decode(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** Reads a file as lenient UTF-8; a missing file is a usage error. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return decode(await Deno.readFile(path));
  } catch (err) {
    const reason = err instanceof Deno.errors.NotFound
      ? "no such file"
      : err instanceof Error
      ? err.message
      : String(err);
    throw new CopilotError(`cannot read ${what} ${path}: ${reason}`, {
      exitCode: ExitCode.Usage,
      cause: err,
    });
  }
}

/**
 * Writes `line` to the controlling terminal, not to stdout or stderr (which
 * vim's `:r !cmd` reads into the buffer); silent when there is none. Deno
 * grants `/dev/tty` and `CON` only with all permissions, so a shell child
 * writes it (`/bin/sh`, or `cmd.exe` on Windows).
 */
async function tellTerminal(line: string): Promise<void> {
  const [command, args] = Deno.build.os === "windows"
    ? [RUN_PATHS.cmd, ["/d", "/c", `echo ${line}>CON`]]
    : [RUN_PATHS.sh, ["-c", 'printf "%s\\n" "$1" >/dev/tty', "sh", line]];
  try {
    await new Deno.Command(command, { args, stdin: "null", stdout: "null", stderr: "null" })
      .output();
  } catch {
    // No terminal: nothing to tell.
  }
}

/** Reads all of stdin; on a terminal, first says how to end the input. */
export async function readStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) {
    const end = Deno.build.os === "windows" ? "Ctrl-Z then Enter" : "Ctrl-D";
    await tellTerminal(`type the prompt, end with ${end}`);
  }
  // A plain read loop: `Deno.stdin.readable` would load Deno's streams before the request is sent.
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  let text = "";
  for (let read; (read = await Deno.stdin.read(buffer)) !== null;) {
    text += decoder.decode(buffer.subarray(0, read), { stream: true });
  }
  return text + decoder.decode();
}
