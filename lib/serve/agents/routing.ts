/**
 * Picks the Copilot endpoint a request goes to, from the model's `supported_endpoints`
 * (docs/copilot-protocol.md section 4.4): native when the model speaks the inbound API,
 * else a translation.
 *
 * @module
 */

import type { ModelEntry } from "./model_names.ts";

/** A Copilot endpoint a model can be served on. */
export type UpstreamEndpoint = "/v1/messages" | "/responses" | "/chat/completions";

/** The API a client spoke to `serve`. */
export type InboundApi = "messages" | "responses" | "chat";

const PREFERENCE: Readonly<Record<InboundApi, readonly UpstreamEndpoint[]>> = {
  messages: ["/v1/messages", "/chat/completions", "/responses"],
  responses: ["/responses", "/chat/completions", "/v1/messages"],
  chat: ["/chat/completions", "/responses", "/v1/messages"],
};

/** The endpoints a model lists (`["/chat/completions"]` when it lists none). */
export function endpointsOf(model: ModelEntry): UpstreamEndpoint[] {
  const listed = Array.isArray(model.supported_endpoints) ? model.supported_endpoints : [];
  const known = listed.filter((entry): entry is UpstreamEndpoint =>
    entry === "/v1/messages" || entry === "/responses" || entry === "/chat/completions"
  );
  return listed.length === 0 ? ["/chat/completions"] : known;
}

/**
 * The endpoint for `inbound` on `model`: the native one when listed, else the first listed in
 * the order of {@linkcode PREFERENCE} (chat before the other API); undefined when the model lists
 * none this project speaks (e.g. only `ws:/responses`).
 */
export function pickEndpoint(model: ModelEntry, inbound: InboundApi): UpstreamEndpoint | undefined {
  const listed = endpointsOf(model);
  return PREFERENCE[inbound].find((endpoint) => listed.includes(endpoint));
}
