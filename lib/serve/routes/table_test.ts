import { assertEquals } from "@std/assert";
import { ROUTES } from "./table.ts";
import { anthropicErrorResponse } from "../anthropic/anthropic_errors.ts";

Deno.test("the routing table: every path with its one method", () => {
  assertEquals(
    Object.fromEntries(Object.entries(ROUTES).map(([path, route]) => [path, route.method])),
    {
      "/": "POST",
      "/v1/completions": "POST",
      "/v1/chat/completions": "POST",
      "/v1/models": "GET",
      "/healthz": "GET",
      "/usage": "GET",
      "/v1/messages": "POST",
      "/messages": "POST",
      "/v1/messages/count_tokens": "POST",
      "/messages/count_tokens": "POST",
      "/v1/responses": "POST",
      "/responses": "POST",
      "/v1/embeddings": "POST",
      "/embeddings": "POST",
      "/v1/models/{id}": "GET",
    },
  );
});

Deno.test("the routing table: the Anthropic paths answer failures in Anthropic's shape, the rest OpenAI's", () => {
  const shapes = Object.entries(ROUTES).map(([path, route]) => [
    path,
    route.errors === undefined
      ? "openai"
      : route.errors === anthropicErrorResponse
      ? "anthropic"
      : "?",
  ]);
  assertEquals(shapes.filter(([, shape]) => shape !== "openai"), [
    ["/v1/messages", "anthropic"],
    ["/messages", "anthropic"],
    ["/v1/messages/count_tokens", "anthropic"],
    ["/messages/count_tokens", "anthropic"],
  ]);
});
