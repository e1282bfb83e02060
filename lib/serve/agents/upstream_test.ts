import { assertEquals } from "@std/assert";
import { createHandler } from "../handler.ts";
import { Streamed } from "../route.ts";
import { StubClient } from "../_stub_client.ts";
import { quotaNote, relayAnswer } from "./upstream.ts";

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

Deno.test("a relayed answer's quota goes on its access-log line", async () => {
  const res = new Response("data: {}\n\n", { headers: QUOTA });
  const answer = relayAnswer(
    { res, body: res.body!.getReader() },
    "text/event-stream",
    () => "",
  );
  const lines: string[] = [];
  const handler = createHandler(new StubClient(), {
    host: "127.0.0.1",
    port: 8080,
    log: (line) => lines.push(line),
    routes: { "/x": { method: "GET", handle: () => Promise.resolve(answer) } },
  });
  const reply = await handler(
    new Request("http://127.0.0.1:8080/x", { headers: { host: "127.0.0.1:8080" } }),
  );
  assertEquals(await reply.text(), "data: {}\n\n");
  assertEquals(answer instanceof Streamed, true);
  assertEquals(lines.length, 1);
  assertEquals(
    lines[0]!.endsWith("(chat unlimited, premium_interactions 82.5% left)"),
    true,
    lines[0],
  );
});
