/**
 * The Copilot routes that `copilot serve`'s agent APIs call through
 * {@linkcode CopilotClient.post}: each one's path, and its headers made from
 * the chat hop's identity. The pass-throughs send the intent VS Code's Claude
 * Code and Codex proxies send (`messages-proxy`, `responses-proxy`) and no
 * `Copilot-Integration-Id`, as those do (docs/copilot-protocol.md 4.5).
 *
 * @module
 */

/** A Copilot route the agent APIs send to. */
export type AgentRoute = "messages" | "responses" | "embeddings" | "chat";

/** Path, `OpenAI-Intent` and whether `Copilot-Integration-Id` goes along, per route. */
const AGENT_ROUTES: Readonly<
  Record<AgentRoute, { path: string; intent: string; integration: boolean }>
> = {
  messages: { path: "/v1/messages", intent: "messages-proxy", integration: false },
  responses: { path: "/responses", intent: "responses-proxy", integration: false },
  embeddings: { path: "/embeddings", intent: "copilot-panel", integration: true },
  chat: { path: "/chat/completions", intent: "conversation-panel", integration: true },
};

/**
 * The path of `route` and its headers: the chat hop's `chat` headers with the
 * route's intent, then `extra` (an undefined value drops a header).
 *
 * @example
 * ```ts
 * import { agentCall } from "./agent_routes.ts";
 * const call = agentCall("messages", { "Copilot-Integration-Id": "vscode-chat" }, {});
 * console.assert(call.path === "/v1/messages" && !("Copilot-Integration-Id" in call.headers));
 * ```
 */
export function agentCall(
  route: AgentRoute,
  chat: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string | undefined>>,
): { path: string; headers: Record<string, string> } {
  const { path, intent, integration } = AGENT_ROUTES[route];
  const headers: Record<string, string> = { ...chat, "OpenAI-Intent": intent };
  if (!integration) {
    delete headers["Copilot-Integration-Id"];
    headers["X-Interaction-Type"] = intent;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { path, headers };
}
