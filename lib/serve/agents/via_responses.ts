/**
 * An agent API (Anthropic Messages, for now) served by a model Copilot serves only on
 * `/responses`, by chaining the bridges there are: the request goes API → chat → Responses,
 * the answer Responses → chat ({@linkcode ChatFromResponses}) → the API's translator. Each
 * chat chunk is parsed once more on the way; the price of reusing the two tested halves.
 *
 * @module
 */

import type { ChatChunk } from "./chat_types.ts";
import type { ChunkTranslator, EventFixer } from "./translate_stream.ts";
import { ChatFromResponses } from "../responses/chat_via_responses_stream.ts";

/** A fixer of Responses events that feeds the chat chunks they make to `translator`. */
export function responsesInto(translator: ChunkTranslator, model: string): EventFixer {
  const bridge = new ChatFromResponses(model);
  const feed = (texts: string[]): string[] =>
    texts.flatMap((text) => {
      const data = text.replace(/^data: /, "").trimEnd();
      if (data === "[DONE]") return translator.finish();
      const parsed = JSON.parse(data) as ChatChunk & { error?: { message?: string } };
      if (parsed.error) return translator.fail(`Copilot: ${parsed.error.message ?? "failed"}`);
      return translator.push(parsed);
    });
  return {
    push: (event) => feed(bridge.push(event)),
    finish: () => [...feed(bridge.finish()), ...translator.finish()],
  };
}
