import { assertEquals } from "@std/assert";
import { InFlight } from "./in_flight.ts";

Deno.test("InFlight aborts every open request at shutdown, with its reason", () => {
  const shutdown = new AbortController();
  const inFlight = new InFlight(shutdown.signal);
  const a = inFlight.open(new Request("http://x/a"));
  const b = inFlight.open(new Request("http://x/b"));
  inFlight.close(b);
  assertEquals(inFlight.size, 1);
  shutdown.abort("deadline");
  assertEquals([a.signal.aborted, a.signal.reason], [true, "deadline"]);
  assertEquals(b.signal.aborted, false);
});

Deno.test("InFlight: a request opened after shutdown starts aborted", () => {
  const shutdown = new AbortController();
  shutdown.abort("gone");
  const request = new InFlight(shutdown.signal).open(new Request("http://x/"));
  assertEquals(request.signal.reason, "gone");
});

Deno.test("InFlight aborts a request whose client leaves", () => {
  const client = new AbortController();
  const request = new InFlight().open(new Request("http://x/", { signal: client.signal }));
  client.abort("left");
  assertEquals([request.signal.aborted, request.signal.reason], [true, "left"]);
});

Deno.test("InFlight: with the transport's `left`, that is the client leaving", () => {
  const left = new AbortController();
  const request = new InFlight().open(new Request("http://x/"), left.signal);
  assertEquals(request.signal.aborted, false);
  left.abort("went away");
  assertEquals([request.signal.aborted, request.signal.reason], [true, "went away"]);
});
