/** Tests of endpoint routing by `supported_endpoints`. */

import { assertEquals } from "@std/assert";
import { endpointsOf, pickEndpoint } from "./routing.ts";

const claude = {
  id: "claude-sonnet-4.5",
  supported_endpoints: ["/v1/messages", "/chat/completions"],
};
const codex = { id: "gpt-5.1-codex", supported_endpoints: ["/responses", "ws:/responses"] };
const gpt41 = { id: "gpt-4.1", supported_endpoints: ["/chat/completions", "/responses"] };
const gemini = { id: "gemini-2.5-pro" };

Deno.test("pickEndpoint: native first, then chat, then the other API", () => {
  assertEquals(pickEndpoint(claude, "messages"), "/v1/messages");
  assertEquals(pickEndpoint(claude, "responses"), "/chat/completions");
  assertEquals(pickEndpoint(claude, "chat"), "/chat/completions");
  assertEquals(pickEndpoint(codex, "messages"), "/responses");
  assertEquals(pickEndpoint(codex, "chat"), "/responses");
  assertEquals(pickEndpoint(codex, "responses"), "/responses");
  assertEquals(pickEndpoint(gpt41, "responses"), "/responses");
  assertEquals(pickEndpoint(gpt41, "messages"), "/chat/completions");
  assertEquals(pickEndpoint(gemini, "messages"), "/chat/completions");
  assertEquals(
    pickEndpoint({ id: "ws", supported_endpoints: ["ws:/responses"] }, "chat"),
    undefined,
  );
});

Deno.test("endpointsOf: no list means chat only; unknown entries are ignored", () => {
  assertEquals(endpointsOf(gemini), ["/chat/completions"]);
  assertEquals(endpointsOf(codex), ["/responses"]);
});
