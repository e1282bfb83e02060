import { assertEquals, assertRejects } from "@std/assert";
import { ApiError } from "./api_error.ts";
import { MAX_BODY_BYTES, readBody, readBytes } from "./body.ts";

function streamed(parts: Uint8Array[]): { req: Request; cancelled: () => boolean } {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts.shift();
      if (part) controller.enqueue(part);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { req: new Request("http://x/", { method: "POST", body }), cancelled: () => cancelled };
}

Deno.test("readBody joins the parts and decodes UTF-8", async () => {
  const bytes = new TextEncoder().encode('{"a":"é"}');
  const { req } = streamed([bytes.subarray(0, 7), bytes.subarray(7)]);
  assertEquals(await readBody(req, 100), '{"a":"é"}');
  assertEquals(await readBody(new Request("http://x/"), 100), "");
});

Deno.test("readBody refuses more than the limit with a 413, and stops reading", async () => {
  const { req, cancelled } = streamed([new Uint8Array(6), new Uint8Array(6), new Uint8Array(6)]);
  const err = await assertRejects(() => readBody(req, 10), ApiError);
  assertEquals([err.status, err.code], [413, "body_too_large"]);
  assertEquals(cancelled(), true);
  const declared = new Request("http://x/", {
    method: "POST",
    body: "x".repeat(11),
    headers: { "content-length": "11" },
  });
  assertEquals((await assertRejects(() => readBody(declared, 10), ApiError)).status, 413);
});

Deno.test("readBody refuses bytes that are not UTF-8 with a 400", async () => {
  const { req } = streamed([new Uint8Array([0xff, 0xfe])]);
  const err = await assertRejects(() => readBody(req, 10), ApiError);
  assertEquals([err.status, err.code], [400, "invalid_json"]);
});

Deno.test("the default limit is 1 MiB", () => assertEquals(MAX_BODY_BYTES, 1048576));

Deno.test("readBody answers 408 when the body is still arriving at the deadline, and stops it", async () => {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([0x7b])); // then nothing more
    },
    cancel() {
      cancelled = true;
    },
  });
  const req = new Request("http://x/", { method: "POST", body });
  const err = await assertRejects(() => readBody(req, 100, 50), ApiError);
  assertEquals([err.status, err.code], [408, "body_timeout"]);
  assertEquals(cancelled, true);
});

Deno.test("readBody: a body that breaks off (the client left) is a 499, not a bug", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([0x7b]));
      controller.error(new TypeError("connection closed before message completed"));
    },
  });
  const req = new Request("http://x/", { method: "POST", body });
  const err = await assertRejects(() => readBody(req, 100), ApiError);
  assertEquals([err.status, err.code], [499, "client_left"]);
});

Deno.test("readBytes copies a byte stream's chunks into one buffer, and stops past the limit", async () => {
  const byteStream = (chunks: number) => {
    let sent = 0;
    return new ReadableStream({
      type: "bytes",
      pull(controller) {
        if (sent++ < chunks) return controller.enqueue(new Uint8Array([0x61]));
        controller.close();
        controller.byobRequest?.respond(0); // a pending BYOB read ends only so
      },
    });
  };
  const ok = new Request("http://x/", { method: "POST", body: byteStream(1000) });
  assertEquals((await readBytes(ok, 1000)).byteLength, 1000);
  const over = new Request("http://x/", { method: "POST", body: byteStream(1001) });
  assertEquals((await assertRejects(() => readBytes(over, 1000), ApiError)).status, 413);
});
