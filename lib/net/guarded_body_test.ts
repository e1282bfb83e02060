import { assert, assertEquals, assertRejects } from "@std/assert";
import { CopilotError, ExitCode } from "../base/errors.ts";
import { sleep } from "../base/sleep.ts";
import { guardedBody } from "./guarded_body.ts";
import { watchdogStats } from "./watchdog.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

/** Waits for the watchdogs' shared wake-up to pass, so no timer outlives a test. */
async function settled(): Promise<void> {
  for (let i = 0; i < 200 && watchdogStats().wakeUpPending; i++) await sleep(5);
  assertEquals(watchdogStats(), { running: 0, wakeUpPending: false });
}

Deno.test("chunks pass through in order and done runs once at the end", async () => {
  let done = 0;
  const body = guardedBody(
    ReadableStream.from([bytes("a"), bytes("b")]),
    0.2,
    "h",
    undefined,
    () => {
      done++;
    },
  );
  assertEquals(text((await body.read()).value), "a");
  assertEquals(text((await body.read()).value), "b");
  assertEquals((await body.read()).done, true);
  assertEquals(done, 1);
  await settled();
});

Deno.test("no chunk within the time: a timeout error, and the body is cancelled", async () => {
  let cancelled: unknown;
  const silent = new ReadableStream<Uint8Array>({ cancel: (reason) => void (cancelled = reason) });
  let done = 0;
  const body = guardedBody(silent, 0.05, "upstream.test", undefined, () => void done++);
  const err = await assertRejects(() => body.read(), CopilotError);
  assertEquals(err.message, "no data from upstream.test for 0.05 s");
  assertEquals(err.exitCode, ExitCode.Timeout);
  assertEquals(cancelled, err);
  assertEquals(done, 1);
  await assertRejects(() => body.read(), CopilotError); // stays failed
  await settled();
});

Deno.test("a slow reader is not a slow upstream", async () => {
  const body = guardedBody(ReadableStream.from([bytes("a"), bytes("b")]), 0.03, "h");
  assertEquals(text((await body.read()).value), "a");
  await sleep(100); // longer than the timeout, but no read was pending
  assertEquals(text((await body.read()).value), "b");
  assertEquals((await body.read()).done, true);
  await settled();
});

Deno.test("readBytes: reads into its own small buffer and hands out copies", async () => {
  const source = new ReadableStream({
    type: "bytes",
    start(controller) {
      controller.enqueue(bytes("hello "));
      controller.enqueue(bytes("world"));
      controller.close();
    },
  });
  const body = guardedBody(source, 0.2, "h", 4);
  const chunks: string[] = [];
  const seen: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await body.read();
    if (done) break;
    assert(value.byteLength <= 4);
    seen.push(value);
    chunks.push(text(value));
  }
  assertEquals(chunks.join(""), "hello world");
  // Each chunk is its own copy: later reads did not overwrite earlier ones.
  assertEquals(seen.map(text).join(""), "hello world");
  await settled();
});

Deno.test("cancel cancels the source and runs done", async () => {
  let cancelled: unknown;
  const source = new ReadableStream<Uint8Array>({ cancel: (reason) => void (cancelled = reason) });
  let done = 0;
  const body = guardedBody(source, 0.2, "h", undefined, () => void done++);
  await body.cancel("bye");
  assertEquals(cancelled, "bye");
  assertEquals(done, 1);
  await settled();
});

Deno.test("cut: a pending read rejects with the reason, the source is cancelled", async () => {
  let cancelled: unknown;
  const source = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(bytes("a")),
    cancel: (reason) => void (cancelled = reason),
  });
  const cut = new AbortController();
  let done = 0;
  const body = guardedBody(source, 0.2, "h", undefined, () => void done++, cut.signal);
  assertEquals(text((await body.read()).value), "a");
  const pending = body.read();
  const reason = new DOMException("client left", "AbortError");
  cut.abort(reason);
  assertEquals(await pending.then(() => "read on", (err) => err), reason);
  assertEquals(cancelled, reason);
  assertEquals(done, 1);
  await assertRejects(() => body.read(), DOMException);
  await settled();
});

/** A byte stream of `parts` (what fetch gives: BYOB reads work on it). */
function byteStream(parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    start(controller) {
      for (const part of parts) controller.enqueue(bytes(part));
      controller.close();
    },
  });
}

Deno.test("with buffers reused from body to body, no chunk shares one with a later read", async () => {
  const kept: Uint8Array[] = [];
  for (const parts of [["first ", "body"], ["second"], ["third ", "one"]]) {
    const body = guardedBody(byteStream(parts), 1, "h", 64);
    for (let read = await body.read(); !read.done; read = await body.read()) kept.push(read.value);
  }
  // Were a chunk a view on a reused buffer, the later bodies would have overwritten it.
  assertEquals(kept.map(text), ["first body", "second", "third one"]);
  await settled();
});

Deno.test("a read after the end, or after a cancel, says done; after a failure, fails again", async () => {
  for (const readBytes of [undefined, 64]) {
    const ended = guardedBody(byteStream(["all"]), 1, "h", readBytes);
    assertEquals(text((await ended.read()).value), "all");
    assertEquals((await ended.read()).done, true);
    assertEquals((await ended.read()).done, true, `again, readBytes ${readBytes}`);
    const cancelled = guardedBody(byteStream(["x"]), 1, "h", readBytes);
    await cancelled.cancel("enough");
    assertEquals((await cancelled.read()).done, true, `after cancel, readBytes ${readBytes}`);
    const broken = guardedBody(
      new ReadableStream({ type: "bytes", pull: (c) => c.error(new Error("reset")) }),
      1,
      "h",
      readBytes,
    );
    await assertRejects(() => broken.read(), Error, "reset");
    await assertRejects(() => broken.read(), Error, "reset");
  }
  await settled();
});
