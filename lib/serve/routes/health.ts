/**
 * `GET /healthz`: the server is up, and whether a GitHub login is present.
 *
 * @module
 */

import { json, type RouteContext } from "../route.ts";

/** Answers `GET /healthz` with `{ok: true, logged_in}`. */
export async function health(
  ctx: RouteContext,
  _req: Request,
  _signal: AbortSignal,
): Promise<Response> {
  return json({ ok: true, logged_in: await ctx.loggedIn().catch(() => false) });
}
