/**
 * The routing table of `copilot serve`: path → method and route function. A
 * new route is one file in this folder and one row here.
 *
 * @module
 */

import type { Route } from "../route.ts";
import { chat } from "./chat.ts";
import { completions } from "./completions.ts";
import { health } from "./health.ts";
import { models } from "./models.ts";
import { seed } from "./seed.ts";
import { usage } from "./usage.ts";

/** Every route, by path. */
export const ROUTES: Readonly<Record<string, Route>> = {
  "/": { method: "POST", handle: seed },
  "/v1/completions": { method: "POST", handle: completions },
  "/v1/chat/completions": { method: "POST", handle: chat },
  "/v1/models": { method: "GET", handle: models },
  "/healthz": { method: "GET", handle: health },
  "/usage": { method: "GET", handle: usage },
};
