/**
 * `copilot lsp`: runs the language server (lib/lsp) on stdin/stdout. Nothing
 * but LSP messages reaches stdout; debug lines go to stderr.
 *
 * @module
 */

import type { Settings } from "../base/settings.ts";
import { LSP_HELP, parseLspArgs } from "./lsp_args.ts";
import { chunksOf, runLanguageServer } from "../lsp/mod.ts";

/** Runs `copilot lsp ARGS`; resolves with the exit status (0 after shutdown and exit). */
export async function lsp(args: string[], settings: Settings): Promise<number> {
  const options = parseLspArgs(args);
  if (options.help) {
    await Deno.stdout.write(new TextEncoder().encode(LSP_HELP));
    return 0;
  }
  const encoder = new TextEncoder();
  const log = settings.net.debug
    ? (line: string) => Deno.stderr.writeSync(encoder.encode(`copilot lsp: ${line}\n`))
    : undefined;
  return await runLanguageServer(chunksOf(Deno.stdin), Deno.stdout, {
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    manual: options.manual,
    settings,
    ...(log ? { log } : {}),
  });
}
