/**
 * Reads what `complete` completes: the prompt (stdin or `--file`) and the
 * suffix, as UTF-8 that never fails (a BOM is dropped, invalid bytes become
 * U+FFFD). When stdin is a terminal, says how to end the input on the
 * terminal itself, never on stderr (vim reads stderr into the buffer).
 *
 * @module
 */

import { CopilotError, ExitCode } from "./errors.ts";

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
 * Writes `text` to the controlling terminal, not to stdout or stderr (which
 * vim's `:r !cmd` reads into the buffer); silent when there is none. Deno
 * grants `/dev/tty` only with all permissions, so on POSIX a `sh` child
 * writes it; on Windows the console is `CONOUT$`.
 */
async function tellTerminal(text: string): Promise<void> {
  try {
    if (Deno.build.os === "windows") {
      using console = await Deno.open("CONOUT$", { write: true });
      await console.write(new TextEncoder().encode(text));
      return;
    }
    await new Deno.Command("sh", {
      args: ["-c", 'printf "%s" "$1" >/dev/tty', "sh", text],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).output();
  } catch {
    // No terminal: nothing to tell.
  }
}

/** Reads all of stdin; on a terminal, first says how to end the input. */
export async function readStdin(): Promise<string> {
  if (Deno.stdin.isTerminal()) {
    const end = Deno.build.os === "windows" ? "Ctrl-Z then Enter" : "Ctrl-D";
    await tellTerminal(`type the prompt, end with ${end}\n`);
  }
  return decode(new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer()));
}
