/**
 * `copilot lsp`: runs the language server (lib/lsp) on stdin/stdout. Nothing
 * but LSP messages reaches stdout; debug lines go to stderr.
 *
 * @module
 */

import type { Settings } from "../base/settings.ts";
import type { LspOptions } from "./lsp_args.ts";
import { chunksOf, runLanguageServer } from "../lsp/mod.ts";

/** Runs `copilot lsp`; resolves with the exit status (0 after shutdown and exit). */
export async function lsp(options: LspOptions, settings: Settings): Promise<number> {
  const encoder = new TextEncoder();
  const log = settings.net.debug
    ? (line: string) => Deno.stderr.writeSync(encoder.encode(`copilot lsp: ${line}\n`))
    : undefined;
  return await runLanguageServer(chunksOf(Deno.stdin), Deno.stdout, {
    settings,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    manual: options.manual,
    ...(log ? { log } : {}),
  });
}
