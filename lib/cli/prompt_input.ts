/**
 * Reads what `complete` completes: the prompt (stdin or `--file`) and the
 * suffix, as UTF-8 that never fails (a BOM is dropped, invalid bytes become
 * U+FFFD). When stdin is a terminal, says how to end the input on the
 * terminal itself, never on stderr (vim reads stderr into the buffer).
 *
 * @module
 */

import { tellTerminal } from "./terminal.ts";
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
