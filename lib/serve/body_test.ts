import { assertEquals, assertRejects } from "@std/assert";
import { ApiError } from "./api_error.ts";
import { MAX_BODY_BYTES, readBody } from "./body.ts";

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
