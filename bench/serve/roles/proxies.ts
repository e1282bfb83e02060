/**
 * The serve benchmark's reference proxies (`--role minimal` and `--role relay`), the floors:
 * the least a Deno proxy can do, with the upstream body passed through natively or through a
 * JavaScript stream.
 *
 * @module
 */

import {
  FAST_MODEL as MODEL,
  FAST_SESSION_TOKEN as SESSION_TOKEN,
} from "../../../test/fixtures/fake_upstream/fast.ts";

/**
 * A reference proxy: any POST is forwarded with its body to the fake's
 * completions endpoint and the upstream SSE is passed through untouched:
 * natively (Deno hands the body from socket to socket without JS), the floor
 * of any Deno proxy; or with `relay`, through a JavaScript stream, the floor
 * of a proxy that reads the answer as it passes (as `serve` has to, to change
 * its shape). Prints its URL on stdout.
 */
export function runMinimalProxy(upstream: string, relay: boolean): void {
  const target = `${upstream}/v1/engines/${MODEL}/completions`;
  const headers = {
    "Authorization": `Bearer ${SESSION_TOKEN}`,
    "Content-Type": "application/json",
  };
  const sseHeaders = { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" };
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`),
  }, async (req) => {
    const res = await fetch(target, { method: "POST", headers, body: await req.text() });
    return new Response(relay ? throughJs(res.body!) : res.body, {
      status: res.status,
      headers: sseHeaders,
    });
  });
  Deno.addSignalListener("SIGTERM", () => void server.shutdown().then(() => Deno.exit(0)));
}

/** `body` passed on through a stream of JavaScript's own, each chunk untouched, pulled on demand. */
function throughJs(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
