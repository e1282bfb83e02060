/**
 * `GET /usage`: the plan and quotas of the account behind the proxy (Copilot's
 * `copilot_internal/user`, fetched once per session token), as JSON: the same
 * report as `copilot status --json` gives under `usage`.
 *
 * @module
 */

import { json, type RouteContext } from "../route.ts";

/** Answers `GET /usage` with `{plan, sku, resetDate, quotas}`. */
export async function usage(
  ctx: RouteContext,
  _req: Request,
  signal: AbortSignal,
): Promise<Response> {
  return json(await ctx.client.usage(signal));
}
