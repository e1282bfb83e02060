import { assertEquals } from "@std/assert";
import { createHandler } from "./handler.ts";
import { StubClient } from "./_stub_client.ts";
import { credits, quotaNote } from "./request_note.ts";
import { relayAnswer } from "./agents/upstream.ts";
import type { RouteHandler } from "./route.ts";
import { toStream } from "../base/pull.ts";

const QUOTA = {
  "x-quota-snapshot-premium_interactions": "ent=300&ov=0.0&ovPerm=false&rem=82.5&rst=2026-01-01",
  "x-quota-snapshot-chat": "ent=-1&ov=0.0&ovPerm=false&rem=100&rst=2026-01-01",
};

Deno.test("quotaNote: what each snapshot header says is left", () => {
  assertEquals(
    quotaNote(new Headers(QUOTA)),
    "chat unlimited, premium_interactions 82.5% left",
  );
  assertEquals(quotaNote(new Headers({ "content-type": "text/event-stream" })), undefined);
});

Deno.test("credits: nano-AIU as AI credits, three digits", () => {
  assertEquals(credits(40_123_456), "0.0401 AI credits");
  assertEquals(credits(2_500_000_000), "2.5 AI credits");
  assertEquals(credits(1234), "0.00000123 AI credits");
});

/** A route that relays what `client.post` answers. */
const relayOne: RouteHandler = async (ctx) =>
  relayAnswer(await ctx.client.post("messages", {}), "text/event-stream", () => "");

/** The answer and access-log lines of one call of `handle` as the route `/x`. */
async function logOf(
  client: StubClient,
  handle: RouteHandler = relayOne,
): Promise<{ text: string; lines: string[] }> {
  const lines: string[] = [];
  const handler = createHandler(client, {
    host: "127.0.0.1",
    port: 8080,
    log: (line) => lines.push(line),
    routes: { "/x": { method: "GET", handle } },
  });
  const reply = await handler(
    new Request("http://127.0.0.1:8080/x", { headers: { host: "127.0.0.1:8080" } }),
  );
  return { text: await reply.text(), lines };
}

Deno.test("an answer's quota left and its cost go on its access-log line", async () => {
  const body = [
    'event: message_start\ndata: {"message":{"copilot_usage":{"total_nano',
    '_aiu":1000}}}\n\n',
    'event: message_delta\ndata: {"copilot_usage":{"total_nano_aiu":40123456}}\n\n',
  ];
  const client = new StubClient();
  client.postAnswer = () =>
    new Response(ReadableStream.from(body).pipeThrough(new TextEncoderStream()), {
      headers: QUOTA,
    });
  const { text, lines } = await logOf(client);
  assertEquals(text, body.join(""), "the bytes pass unchanged");
  assertEquals(lines.length, 1);
  assertEquals(
    lines[0]!.endsWith("(chat unlimited, premium_interactions 82.5% left; 0.0401 AI credits)"),
    true,
    lines[0],
  );
});

Deno.test("an answer that states neither adds nothing to the line", async () => {
  const client = new StubClient();
  client.postAnswer = () => new Response("data: {}\n\n");
  const { lines } = await logOf(client);
  assertEquals(lines.length, 1);
  assertEquals(/^GET \/x 200 [\d.]+ms$/.test(lines[0]!), true, lines[0]);
});

Deno.test("chat completions: the cost in a streamed chat answer is logged", async () => {
  const client = new StubClient();
  client.chatBody = 'data: {"choices":[{"index":0,"delta":{"content":"hi"}}],' +
    '"copilot_usage":{"total_nano_aiu":5000000}}\n\ndata: [DONE]\n\n';
  const lines: string[] = [];
  const handler = createHandler(client, {
    host: "127.0.0.1",
    port: 8080,
    log: (l) => lines.push(l),
  });
  const reply = await handler(
    new Request("http://127.0.0.1:8080/v1/chat/completions", {
      method: "POST",
      headers: { host: "127.0.0.1:8080", "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4.1",
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    }),
  );
  assertEquals(await reply.text(), client.chatBody);
  assertEquals(lines.length, 1);
  assertEquals(lines[0]!.endsWith("(0.005 AI credits)"), true, lines[0]);
});

Deno.test("a second answer without quota headers keeps the first one's", async () => {
  const client = new StubClient();
  const answers = [
    new Response('{"copilot_usage":{"total_nano_aiu":10}}', { headers: QUOTA }),
    new Response('{"copilot_usage":{"total_nano_aiu":40123456}}'),
  ];
  client.postAnswer = () => answers.shift()!;
  const { lines } = await logOf(client, async (ctx) => {
    const first = await ctx.client.post("responses", {});
    await new Response(toStream(first.body)).text();
    return relayAnswer(await ctx.client.post("chat", {}), "application/json", () => "");
  });
  assertEquals(
    lines[0]!.endsWith("(chat unlimited, premium_interactions 82.5% left; 0.0401 AI credits)"),
    true,
    lines[0],
  );
});
