/**
 * The standard LSP completion methods: `textDocument/inlineCompletion`
 * (LSP 3.18, for editors that show ghost text) and `textDocument/completion`
 * (the menu, for the others).
 *
 * @module
 */

import type { Position } from "./documents.ts";
import { inlineItem, menuItem } from "./results.ts";
import type { LanguageServer } from "./server.ts";

interface PositionParams {
  textDocument: { uri: string };
  position: Position;
  context?: { triggerKind?: number };
}

/** LSP trigger kinds: inline 1 = Invoked, 2 = Automatic; completion 1 = Invoked. */
const INVOKED = 1;

/** Registers the standard completion methods on `server`. */
export function registerCompletionMethods(server: LanguageServer): void {
  const c = server.connection;
  c.onRequest("textDocument/inlineCompletion", async (params, { signal }) => {
    const p = params as PositionParams;
    // An invoked trigger is how copilot.vim (and Neovim) cycle: 3 suggestions, as GitHub's server.
    const automatic = p.context?.triggerKind !== INVOKED;
    const { placed } = await server.suggest({
      uri: p.textDocument.uri,
      position: p.position,
      n: automatic ? 1 : 3,
      automatic,
    }, signal);
    return { items: placed.map(inlineItem) };
  });
  c.onRequest("textDocument/completion", async (params, { signal }) => {
    const p = params as PositionParams;
    const { placed, language } = await server.suggest({
      uri: p.textDocument.uri,
      position: p.position,
      n: 1,
      automatic: p.context !== undefined && p.context.triggerKind !== INVOKED,
    }, signal);
    const encoding = server.documents.encoding;
    // Incomplete: the next keystroke asks again, Copilot's answer depends on it.
    return { isIncomplete: true, items: placed.map((one) => menuItem(one, language, encoding)) };
  });
}
