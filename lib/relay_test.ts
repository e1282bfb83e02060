import { assertEquals, assertRejects } from "@std/assert";
import { chain, relay } from "./relay.ts";

Deno.test("relay", async (t) => {
  await t.step("maps each value to none, one or several outputs", async () => {
    const out = relay(ReadableStream.from([1, 2, 3]), {
      map: (n, sink) => {
        for (let i = 0; i < n - 1; i++) sink.enqueue(n);
      },
    });
    assertEquals(await Array.fromAsync(out), [2, 3, 3]);
  });

  await t.step("end may add a last value; fail may finish gracefully", async () => {
    let pulls = 0;
    const failing = new ReadableStream<number>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(1);
        else controller.error(new Error("boom"));
      },
    }, { highWaterMark: 0 });
    const out = relay(failing, {
      map: (n, sink) => sink.enqueue(String(n)),
      fail: (err, sink) => {
        sink.enqueue(`failed: ${(err as Error).message}`);
        sink.close();
      },
    });
    assertEquals(await Array.fromAsync(out), ["1", "failed: boom"]);
    const ended = relay(ReadableStream.from(["a"]), {
      map: (s, sink) => sink.enqueue(s),
      end: (sink) => {
        sink.enqueue("[DONE]");
        sink.close();
      },
    });
    assertEquals(await Array.fromAsync(ended), ["a", "[DONE]"]);
  });

  await t.step("a throwing map errors the output and cancels the source", async () => {
    let cancelled: unknown;
    const source = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(1),
      cancel: (reason) => void (cancelled = reason),
    });
    const out = relay(source, {
      map: () => {
        throw new TypeError("bad value");
      },
    });
    await assertRejects(() => Array.fromAsync(out), TypeError, "bad value");
    assertEquals((cancelled as Error).message, "bad value");
  });

  await t.step("what a value emitted before its map threw is read first", async () => {
    const out = relay(ReadableStream.from(["hello", "boom"]), {
      map: (s, sink) => {
        sink.enqueue(s);
        if (s === "boom") throw new Error("upstream said no");
      },
    }).getReader();
    assertEquals((await out.read()).value, "hello");
    assertEquals((await out.read()).value, "boom");
    await assertRejects(() => out.read(), Error, "upstream said no");
  });

  await t.step("cancelling the output cancels the source and runs the hook", async () => {
    const seen: unknown[] = [];
    const source = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(1),
      cancel: (reason) => void seen.push(`source: ${reason}`),
    });
    const out = relay(source, {
      map: (n, sink) => sink.enqueue(n),
      cancel: (reason) => void seen.push(`hook: ${reason}`),
    });
    const reader = out.getReader();
    assertEquals((await reader.read()).value, 1);
    await reader.cancel("left");
    assertEquals(seen, ["hook: left", "source: left"]);
  });

  await t.step("reads nothing ahead of its consumer", async () => {
    let pulled = 0;
    const source = new ReadableStream<number>({
      pull: (controller) => controller.enqueue(++pulled),
    }, { highWaterMark: 0 });
    const reader = relay(source, { map: (n, sink) => sink.enqueue(n) }).getReader();
    await reader.read();
    await reader.read();
    assertEquals(pulled, 2);
    await reader.cancel();
  });
});

Deno.test("chain: two steps in one stream, ends and failures passed along", async () => {
  const split = {
    map: (line: string, sink: { enqueue(word: string): void }) =>
      line.split(" ").forEach((word) => sink.enqueue(word)),
    end: (sink: { enqueue(word: string): void; close(): void }) => {
      sink.enqueue("END");
      sink.close();
    },
  };
  const lengths = chain<string, string, number>(split, {
    map: (word, sink) => sink.enqueue(word.length),
    end: (sink) => {
      sink.enqueue(-1);
      sink.close();
    },
  });
  assertEquals(await Array.fromAsync(relay(ReadableStream.from(["a bb", "ccc"]), lengths)), [
    1,
    2,
    3,
    3,
    -1,
  ]);
  const strict = chain<string, string, string>({ map: (s, sink) => sink.enqueue(s) }, {
    map: (s) => {
      throw new RangeError(`no ${s}`);
    },
  });
  await assertRejects(
    () => Array.fromAsync(relay(ReadableStream.from(["x"]), strict)),
    RangeError,
    "no x",
  );
});
