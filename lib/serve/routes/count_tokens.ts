/**
 * `POST /v1/messages/count_tokens`: Copilot has no token counter, so this is a local estimate
 * (lib/serve/anthropic/count_tokens.ts) that errs high, so an agent compacts early rather
 * than late.
 *
 * @module
 */

import { readBody } from "../body.ts";
import { agentBodyLimit } from "../agents/upstream.ts";
import { json, type RouteContext } from "../route.ts";
import { parseJsonObject } from "../validate.ts";
import { estimateInputTokens } from "../anthropic/count_tokens.ts";

/** Answers `POST /v1/messages/count_tokens` with `{"input_tokens": N}` (failures in Anthropic's shape: its table row). */
export async function countTokens(
  ctx: RouteContext,
  req: Request,
  _signal: AbortSignal,
): Promise<Response> {
  const body = parseJsonObject(await readBody(req, agentBodyLimit(ctx), ctx.bodyMs));
  return json({ input_tokens: estimateInputTokens(body) });
}
