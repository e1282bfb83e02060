/**
 * `copilot lsp`: a language server on stdio that reuses the `copilot login`
 * token and the Copilot client `complete` uses.
 *
 * This file is the face of the folder: `framing.ts` (Content-Length framing),
 * `rpc.ts` (JSON-RPC, cancellation), `documents.ts` (open documents,
 * positions), `server.ts` (initialize, lifecycle, the completion path),
 * `methods.ts` (inline and menu completions), `github.ts` (GitHub's method
 * set), `prompt.ts`, `results.ts`, `engine.ts` (debounce, supersede, pause),
 * `upstream.ts`, `account.ts` (sign-in) and `notices.ts` (messages once).
 *
 * @module
 */

import { type ByteSink, messageWriter, readMessages } from "./framing.ts";
import { registerGitHubMethods } from "./github.ts";
import { registerCompletionMethods } from "./methods.ts";
import { Connection } from "./rpc.ts";
import { LanguageServer, type ServerOptions } from "./server.ts";

export { DEFAULT_DEBOUNCE_MS, type ServerOptions } from "./server.ts";
export { chunksOf } from "./framing.ts";

/**
 * Runs a language server reading framed messages from `input` and writing to
 * `output` until `exit` or the end of input; resolves with the exit status
 * (0 after `shutdown`, else 1).
 */
export async function runLanguageServer(
  input: AsyncIterable<Uint8Array>,
  output: ByteSink,
  options: ServerOptions = {},
): Promise<number> {
  const connection = new Connection((message) => writer.send(message));
  const server = new LanguageServer(connection, options);
  const writer = messageWriter(output, () => server.close());
  const log = options.log;
  if (log) {
    connection.onInternalError = (err) => log(`internal error: ${(err as Error)?.stack ?? err}`);
  }
  registerCompletionMethods(server);
  registerGitHubMethods(server);
  // Reads until the end of input; `exit` ends the server before that (the process then exits).
  (async () => {
    try {
      for await (const message of readMessages(input)) connection.receive(message);
    } catch (err) {
      log?.(`input failed: ${err}`);
    }
    server.close();
  })();
  const status = await server.exited;
  await writer.flushed();
  return status;
}
