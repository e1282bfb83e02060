/**
 * `POST /`: the seed-compatible route; choice 0 streams as plain text, the
 * other choices follow it, each under its own separator line.
 *
 * @module
 */

import type { CompletionChunk } from "../../copilot/completion_stream.ts";
import { mapSource } from "../../base/pull.ts";
import { readBody } from "../body.ts";
import { startCompletions } from "../merge.ts";
import { type Part, type RouteContext, Streamed, TEXT_HEADERS } from "../route.ts";
import { parseJsonObject, seedRequest } from "../validate.ts";

/** Answers `POST /` with choice 0 as plain text, streamed. */
export async function seed(
  ctx: RouteContext,
  req: Request,
  signal: AbortSignal,
): Promise<Streamed> {
  const request = seedRequest(parseJsonObject(await readBody(req, ctx.maxBodyBytes, ctx.bodyMs)));
  const chunks = await startCompletions(ctx.client, request, [request.prompt], signal);
  // Other choices are kept and follow choice 0, each under its own separator line.
  const others = new Map<number, string>();
  const body = mapSource<[number, CompletionChunk], Part>(chunks, {
    map([, chunk], controller) {
      if (chunk.index === 0) {
        if (chunk.text !== "") controller.enqueue(chunk.text);
      } else others.set(chunk.index, (others.get(chunk.index) ?? "") + chunk.text);
    },
    end(controller) {
      const rest = [...others].sort(([a], [b]) => a - b);
      for (const [index, text] of rest) {
        controller.enqueue(`\n\n--- choice ${index + 1} ---\n${text}`);
      }
      controller.close();
    },
    // Plain text has no way to report an error: a failure cuts the answer off (no last chunk).
  });
  return new Streamed(body, TEXT_HEADERS);
}
