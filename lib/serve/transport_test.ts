import { assert, assertEquals } from "@std/assert";
import { DEFAULT_LIMITS } from "./serve_limits.ts";
import { serveGuarded } from "./transport.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Everything `conn` sends until it closes (or 5 s pass). */
async function readAll(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(4096);
  let text = "";
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    const read = await conn.read(buffer).catch(() => null);
    if (read === null) break;
    text += decoder.decode(buffer.subarray(0, read));
  }
  return text;
}

Deno.test("serveGuarded answers 503 over the connection cap, and closes silent connections", async () => {
  const limits = { ...DEFAULT_LIMITS, headerMs: 200, maxConnections: 1 };
  const server = serveGuarded(
    { hostname: "127.0.0.1", port: 0, limits, report: () => {} },
    () => Promise.resolve(new Response("ok")),
  );
  try {
    using first = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    // Wait until the first is accepted, then a second is one too many.
    for (let i = 0; i < 200 && server.stats().open === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    using second = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    assert((await readAll(second)).startsWith("HTTP/1.1 503 "));
    assertEquals(await readAll(first), ""); // closed at the header timeout
    assertEquals(server.stats().refused, 1);
    assertEquals(server.stats().timedOut, 1);
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveGuarded: `left` aborts when the client goes before the answer", async () => {
  const left = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  const server = serveGuarded(
    { hostname: "127.0.0.1", port: 0, limits: DEFAULT_LIMITS, report: () => {} },
    async (_req, signal) => {
      started.resolve();
      await new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve()));
      left.resolve();
      return new Response(null, { status: 499 });
    },
  );
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(encoder.encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await started.promise;
    conn.close();
    await left.promise;
  } finally {
    await server.shutdown();
  }
});

for (const plain of [false, true]) {
  Deno.test(`serveGuarded serves keep-alive requests and shuts down (plain Deno.serve: ${plain})`, async () => {
    const server = serveGuarded(
      { hostname: "127.0.0.1", port: 0, limits: { ...DEFAULT_LIMITS, plain }, report: () => {} },
      (req) => Promise.resolve(new Response(new URL(req.url).pathname)),
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    for (const path of ["/a", "/b"]) assertEquals(await (await fetch(base + path)).text(), path);
    await server.shutdown();
    await fetch(base + "/c").then(
      (res) => res.body?.cancel().then(() => assert(false, "still serving")),
      () => {},
    );
  });
}
