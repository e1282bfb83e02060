/**
 * The routing table of `copilot serve`: path → method, route function and the
 * error shape of the API the path belongs to (OpenAI's unless the row names
 * another). A new route is one file in this folder and one row here; a key
 * ending in `/{id}` takes every path under it.
 *
 * @module
 */

import type { Route } from "../route.ts";
import { anthropicErrorResponse as anthropic } from "../anthropic/anthropic_errors.ts";
import { chat } from "./chat.ts";
import { countTokens } from "./count_tokens.ts";
import { embeddings } from "./embeddings.ts";
import { messages } from "./messages.ts";
import { modelById } from "./model_by_id.ts";
import { responses } from "./responses.ts";
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
  "/v1/messages": { method: "POST", handle: messages, errors: anthropic },
  "/messages": { method: "POST", handle: messages, errors: anthropic },
  "/v1/messages/count_tokens": { method: "POST", handle: countTokens, errors: anthropic },
  "/messages/count_tokens": { method: "POST", handle: countTokens, errors: anthropic },
  "/v1/responses": { method: "POST", handle: responses },
  "/responses": { method: "POST", handle: responses },
  "/v1/embeddings": { method: "POST", handle: embeddings },
  "/embeddings": { method: "POST", handle: embeddings },
  // Any path under /v1/models/ (the handler looks it up by this key).
  "/v1/models/{id}": { method: "GET", handle: modelById },
};
